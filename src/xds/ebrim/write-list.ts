/**
 * Whole lists: the rim:RegistryObjectList of an AdhocQueryResponse (as a spec to nest in the
 * response, or as DOM elements), and a Submission as the RegistryObjectList of a
 * SubmitObjectsRequest (what an XDS client or a test sends).
 */
import { DOMImplementation, type Element } from '@xmldom/xmldom';
import type { RegistryObject } from '../../domain/metadata';
import type { Submission } from '../../domain/submission';
import { createElement, type XmlElementSpec } from '../../soap';
import { RIM_NS, RIM_PREFIX } from './constants';
import { registryObjectSpecs, rim, type WriteOptions } from './write-object';

/** rim:RegistryObjectList holding `objects` as LeafClass or ObjectRef. */
export function registryObjectList(objects: readonly RegistryObject[], opts: WriteOptions): XmlElementSpec {
  return rim('RegistryObjectList', {}, ...registryObjectSpecs(objects, opts));
}

/**
 * The objects as free-standing DOM elements (owned by a scratch document, without a parent):
 * append them to any document; xmldom imports them and declares the rim namespace as needed.
 */
export function registryObjectsToElements(objects: readonly RegistryObject[], opts: WriteOptions): Element[] {
  const doc = new DOMImplementation().createDocument(RIM_NS, `${RIM_PREFIX}:RegistryObjectList`, null);
  return registryObjectSpecs(objects, opts).map((spec) => createElement(doc, spec));
}

/** Every object of the submission, SubmissionSet first, as SubmitObjectsRequest content. */
export function submissionObjects(s: Submission): RegistryObject[] {
  return [
    { kind: 'SubmissionSet', ...s.submissionSet },
    ...s.documents.map((d): RegistryObject => ({ kind: 'DocumentEntry', ...d })),
    ...s.folders.map((f): RegistryObject => ({ kind: 'Folder', ...f })),
    ...s.associations.map((a): RegistryObject => ({ kind: 'Association', ...a })),
  ];
}

export function submissionToRegistryObjectList(s: Submission): XmlElementSpec {
  return registryObjectList(submissionObjects(s), { returnType: 'LeafClass' });
}
