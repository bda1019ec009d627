/**
 * A whole rim:RegistryObjectList -> domain objects grouped by kind, and the Submission an
 * ITI-41/ITI-42 SubmitObjectsRequest carries. Ids stay as the sender gave them (symbolic or
 * UUID): the registry assigns entryUUIDs and rewrites references in one place.
 */
import type { Element } from '@xmldom/xmldom';
import type { Association, DocumentEntry, Folder, RegistryObject, SubmissionSet } from '../../domain/metadata';
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { Submission } from '../../domain/submission';
import { Problems } from './problems';
import { readRegistryObject } from './read-object';
import { indexRegistryObjectList } from './rim-index';

export interface DecodedObjects {
  submissionSets: SubmissionSet[];
  documents: DocumentEntry[];
  folders: Folder[];
  associations: Association[];
}

/** Every object of the list in document order (a query response's); problems are recorded, not thrown. */
export function readRegistryObjects(list: Element, problems: Problems): RegistryObject[] {
  return indexRegistryObjectList(list, problems).flatMap((indexed) => readRegistryObject(indexed, problems) ?? []);
}

/** Reads every object of the list into `problems`' care; the caller decides when to throw. */
export function decodeRegistryObjectList(list: Element, problems: Problems): DecodedObjects {
  const out: DecodedObjects = { submissionSets: [], documents: [], folders: [], associations: [] };
  for (const object of readRegistryObjects(list, problems)) addObject(out, object);
  return out;
}

function addObject(out: DecodedObjects, object: RegistryObject): void {
  const { kind: _kind, ...fields } = object;
  switch (object.kind) {
    case 'DocumentEntry': out.documents.push(fields as DocumentEntry); break;
    case 'SubmissionSet': out.submissionSets.push(fields as SubmissionSet); break;
    case 'Folder': out.folders.push(fields as Folder); break;
    case 'Association': out.associations.push(fields as Association); break;
  }
}

/** The one SubmissionSet a submission must have; problems otherwise. */
export function soleSubmissionSet(decoded: DecodedObjects, problems: Problems): SubmissionSet | undefined {
  const sets = decoded.submissionSets;
  if (sets.length === 1) return sets[0];
  if (sets.length === 0) problems.error('RegistryObjectList', 'the message has no SubmissionSet (a RegistryPackage classified as XDSSubmissionSet)');
  else problems.error(sets[1]!.entryUuid, `the message has ${sets.length} SubmissionSets (${sets.map((s) => s.entryUuid).join(', ')}); it must have exactly one`);
  return undefined;
}

export interface ReadSubmissionResult {
  submission: Submission;
  /** XDSExtraMetadataNotSaved warnings: well-formed metadata with no place in the model (ignored). */
  warnings: RegistryErrorDetail[];
}

/** ITI-41/ITI-42 metadata; throws RegistryError (XDSRegistryMetadataError) with every problem found. */
export function readSubmission(list: Element): ReadSubmissionResult {
  const problems = new Problems();
  const decoded = decodeRegistryObjectList(list, problems);
  const submissionSet = soleSubmissionSet(decoded, problems);
  problems.throwIfErrors();
  return {
    submission: { submissionSet: submissionSet!, documents: decoded.documents, folders: decoded.folders, associations: decoded.associations },
    warnings: problems.warnings,
  };
}

/** readSubmission without the warnings, for callers that do not report them. */
export function registryObjectListToSubmission(list: Element): Submission {
  return readSubmission(list).submission;
}
