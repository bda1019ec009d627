// Malformed ebRIM metadata: each broken construct gives XDSRegistryMetadataError located at the
// id of the object it is on, every problem of a message is reported at once, and metadata with
// no place in the model is ignored with a warning instead of failing the submission.
import assert from 'node:assert/strict';
import type { Document, Element } from '@xmldom/xmldom';
import { XdsErrorCode } from '../../../src/domain/error-codes';
import { readSubmission, RIM_NS } from '../../../src/xds/ebrim';
import { assertHasError, byId, fixtureDocument, registryErrors, registryObjectListOf, remove } from './helpers';

const META = XdsErrorCode.XDSRegistryMetadataError;

function rimElement(doc: Document, local: string, attrs: Record<string, string> = {}): Element {
  const e = doc.createElementNS(RIM_NS, `rim:${local}`);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Adds a Slot as the first child of `owner` (where ebRIM wants slots). */
function addSlot(owner: Element, name: string, values: string[]): Element {
  const doc = owner.ownerDocument!;
  const slot = rimElement(doc, 'Slot', { name });
  const list = rimElement(doc, 'ValueList');
  for (const v of values) list.appendChild(rimElement(doc, 'Value')).appendChild(doc.createTextNode(v));
  slot.appendChild(list);
  owner.insertBefore(slot, owner.firstChild);
  return slot;
}

function slotOf(owner: Element, name: string): Element {
  const slot = Array.from(owner.childNodes).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Slot' && (n as Element).getAttribute('name') === name);
  assert.ok(slot, `slot ${name}`);
  return slot;
}

interface Case {
  what: string;
  fixture?: string;
  break: (doc: Document) => void;
  location: string;
  context: RegExp;
}

const CASES: Case[] = [
  {
    what: 'a top-level classification pointing at an object not in the message',
    break: (doc) => byId(doc, 'SubmissionSet01-isSubmissionSet').setAttribute('classifiedObject', 'SubmissionSet99'),
    location: 'SubmissionSet01-isSubmissionSet',
    context: /points at SubmissionSet99, which is not an object of this message/,
  },
  {
    what: 'a top-level classification without classifiedObject',
    break: (doc) => byId(doc, 'SubmissionSet01-isSubmissionSet').removeAttribute('classifiedObject'),
    location: 'SubmissionSet01-isSubmissionSet',
    context: /has no classifiedObject/,
  },
  {
    what: 'a nested classification that classifies another object',
    break: (doc) => byId(doc, 'Document01-classCode').setAttribute('classifiedObject', 'SubmissionSet01'),
    location: 'Document01-classCode',
    context: /nested Classification must describe the object it is in/,
  },
  {
    what: 'a top-level ExternalIdentifier pointing at an object not in the message',
    break: (doc) => {
      const x = byId(doc, 'Document01-uniqueId');
      x.setAttribute('registryObject', 'Document99');
      registryObjectListOf(doc).appendChild(x);
    },
    location: 'Document01-uniqueId',
    context: /points at Document99/,
  },
  {
    what: 'a DocumentEntry without uniqueId',
    break: (doc) => remove(byId(doc, 'Document01-uniqueId')),
    location: 'Document01',
    context: /no ExternalIdentifier XDSDocumentEntry\.uniqueId \(identificationScheme urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab\)/,
  },
  {
    what: 'a DocumentEntry without patientId',
    break: (doc) => remove(byId(doc, 'Document01-patientId')),
    location: 'Document01',
    context: /no ExternalIdentifier XDSDocumentEntry\.patientId/,
  },
  {
    what: 'a SubmissionSet without sourceId',
    break: (doc) => remove(byId(doc, 'SubmissionSet01-sourceId')),
    location: 'SubmissionSet01',
    context: /no ExternalIdentifier XDSSubmissionSet\.sourceId/,
  },
  {
    what: 'an ExternalIdentifier without value',
    break: (doc) => byId(doc, 'Document01-uniqueId').removeAttribute('value'),
    location: 'Document01',
    context: /XDSDocumentEntry\.uniqueId of Document01 has no value/,
  },
  {
    what: 'an ExternalIdentifier given twice',
    break: (doc) => {
      const x = byId(doc, 'Document01-uniqueId');
      const copy = x.cloneNode(true) as Element;
      copy.setAttribute('id', 'Document01-uniqueId-2');
      x.parentNode!.appendChild(copy);
    },
    location: 'Document01',
    context: /more than one XDSDocumentEntry\.uniqueId/,
  },
  {
    what: 'an ExternalIdentifier without identificationScheme',
    break: (doc) => byId(doc, 'Document01-uniqueId').removeAttribute('identificationScheme'),
    location: 'Document01',
    context: /Document01-uniqueId of Document01 has no identificationScheme/,
  },
  {
    what: 'size that is not an integer',
    break: (doc) => addSlot(byId(doc, 'Document01'), 'size', ['velký']),
    location: 'Document01',
    context: /Slot size of Document01 "velký" is not a non-negative integer/,
  },
  {
    what: 'a single-valued slot with two values',
    break: (doc) => slotOf(byId(doc, 'Document01'), 'creationTime').getElementsByTagNameNS(RIM_NS, 'ValueList')[0]!.appendChild(rimElement(doc, 'Value')).appendChild(doc.createTextNode('20261104')),
    location: 'Document01',
    context: /Slot creationTime of Document01 must have exactly one value, has 2/,
  },
  {
    what: 'a slot given twice',
    break: (doc) => addSlot(byId(doc, 'Document01'), 'languageCode', ['en-US']),
    location: 'Document01',
    context: /Slot languageCode appears more than once/,
  },
  {
    what: 'a slot without name',
    break: (doc) => slotOf(byId(doc, 'Document01'), 'languageCode').removeAttribute('name'),
    location: 'Document01',
    context: /a Slot of Document01 has no name/,
  },
  {
    what: 'a slot value with element content',
    break: (doc) => slotOf(byId(doc, 'Document01'), 'languageCode').getElementsByTagNameNS(RIM_NS, 'Value')[0]!.appendChild(rimElement(doc, 'Value')),
    location: 'Document01',
    context: /Slot languageCode of Document01 has a Value with element content/,
  },
  {
    what: 'documentAvailability outside its two values',
    break: (doc) => addSlot(byId(doc, 'Document01'), 'documentAvailability', ['Sometimes']),
    location: 'Document01',
    context: /Slot documentAvailability of Document01 "Sometimes" is not one of/,
  },
  {
    what: 'a status that is no XDS availabilityStatus',
    break: (doc) => byId(doc, 'Document01').setAttribute('status', 'urn:oasis:names:tc:ebxml-regrep:StatusType:Withdrawn'),
    location: 'Document01',
    context: /status of Document01: "urn:oasis:names:tc:ebxml-regrep:StatusType:Withdrawn" is not one of/,
  },
  {
    what: 'a VersionInfo without a version number',
    break: (doc) => {
      const d = byId(doc, 'Document01');
      d.insertBefore(rimElement(doc, 'VersionInfo', { versionName: 'první' }), byId(doc, 'Document01-author1'));
    },
    location: 'Document01',
    context: /VersionInfo\/@versionName of Document01 is not a version number: "první"/,
  },
  {
    what: 'an ExtrinsicObject of another objectType',
    break: (doc) => byId(doc, 'Document01').setAttribute('objectType', 'urn:uuid:00000000-0000-4000-8000-000000000000'),
    location: 'Document01',
    context: /neither a stable nor an on-demand DocumentEntry/,
  },
  {
    what: 'an ExtrinsicObject without mimeType',
    break: (doc) => byId(doc, 'Document01').removeAttribute('mimeType'),
    location: 'Document01',
    context: /ExtrinsicObject Document01 has no mimeType attribute/,
  },
  {
    what: 'a single-valued code given twice',
    break: (doc) => {
      const c = byId(doc, 'Document01-classCode');
      const copy = c.cloneNode(true) as Element;
      copy.setAttribute('id', 'Document01-classCode-2');
      c.parentNode!.insertBefore(copy, c);
    },
    location: 'Document01',
    context: /Document01 has more than one classCode/,
  },
  {
    what: 'a code without codingScheme',
    break: (doc) => remove(slotOf(byId(doc, 'Document01-typeCode'), 'codingScheme')),
    location: 'Document01',
    context: /typeCode classification Document01-typeCode of Document01 has no codingScheme slot/,
  },
  {
    what: 'a code with two coding schemes',
    break: (doc) => slotOf(byId(doc, 'Document01-typeCode'), 'codingScheme').getElementsByTagNameNS(RIM_NS, 'ValueList')[0]!.appendChild(rimElement(doc, 'Value')).appendChild(doc.createTextNode('2.16.840.1.113883.6.96')),
    location: 'Document01',
    context: /Slot codingScheme of typeCode classification Document01-typeCode of Document01 must have exactly one value/,
  },
  {
    what: 'a code without nodeRepresentation',
    break: (doc) => byId(doc, 'Document01-formatCode').removeAttribute('nodeRepresentation'),
    location: 'Document01',
    context: /formatCode classification Document01-formatCode of Document01 has no nodeRepresentation/,
  },
  {
    what: 'an author with two authorPerson values',
    break: (doc) => slotOf(byId(doc, 'Document01-author1'), 'authorPerson').getElementsByTagNameNS(RIM_NS, 'ValueList')[0]!.appendChild(rimElement(doc, 'Value')).appendChild(doc.createTextNode('^Dvořák^Petr')),
    location: 'Document01',
    context: /Slot authorPerson of author classification Document01-author1 of Document01 must have exactly one value/,
  },
  {
    what: 'a classification with neither scheme nor node',
    break: (doc) => byId(doc, 'Document01-hcft').removeAttribute('classificationScheme'),
    location: 'Document01',
    context: /Classification Document01-hcft of Document01 has neither classificationScheme nor classificationNode/,
  },
  {
    what: 'a RegistryPackage that is neither SubmissionSet nor Folder',
    break: (doc) => remove(byId(doc, 'SubmissionSet01-isSubmissionSet')),
    location: 'SubmissionSet01',
    context: /RegistryPackage SubmissionSet01 is classified neither as SubmissionSet/,
  },
  {
    what: 'a RegistryPackage that is both SubmissionSet and Folder',
    break: (doc) => {
      const c = byId(doc, 'SubmissionSet01-isSubmissionSet').cloneNode(true) as Element;
      c.setAttribute('id', 'SubmissionSet01-isFolder');
      c.setAttribute('classificationNode', 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2');
      registryObjectListOf(doc).appendChild(c);
    },
    location: 'SubmissionSet01',
    context: /classified both as SubmissionSet and as Folder/,
  },
  {
    what: 'a message without SubmissionSet',
    break: (doc) => {
      remove(byId(doc, 'SubmissionSet01'));
      remove(byId(doc, 'SubmissionSet01-isSubmissionSet'));
    },
    location: 'RegistryObjectList',
    context: /no SubmissionSet/,
  },
  {
    what: 'a message with two SubmissionSets',
    break: (doc) => {
      const list = registryObjectListOf(doc);
      const ss = byId(doc, 'SubmissionSet01').cloneNode(true) as Element;
      ss.setAttribute('id', 'SubmissionSet02');
      for (const c of Array.from(ss.getElementsByTagNameNS(RIM_NS, '*'))) {
        for (const a of ['classifiedObject', 'registryObject']) if (c.getAttribute(a) === 'SubmissionSet01') c.setAttribute(a, 'SubmissionSet02');
        if (c.hasAttribute('id')) c.setAttribute('id', `${c.getAttribute('id')}-2`);
      }
      const marker = byId(doc, 'SubmissionSet01-isSubmissionSet').cloneNode(true) as Element;
      marker.setAttribute('id', 'SubmissionSet02-isSubmissionSet');
      marker.setAttribute('classifiedObject', 'SubmissionSet02');
      list.appendChild(ss);
      list.appendChild(marker);
    },
    location: 'SubmissionSet02',
    context: /2 SubmissionSets \(SubmissionSet01, SubmissionSet02\)/,
  },
  {
    what: 'two objects with one id',
    break: (doc) => byId(doc, 'Association01').setAttribute('id', 'Document01'),
    location: 'Document01',
    context: /id Document01 is used by more than one object/,
  },
  {
    what: 'an object without id',
    break: (doc) => byId(doc, 'Association01').removeAttribute('id'),
    location: 'Association[4]',
    context: /Association number 4 of the RegistryObjectList has no id/,
  },
  {
    what: 'an association without targetObject',
    break: (doc) => byId(doc, 'Association01').removeAttribute('targetObject'),
    location: 'Association01',
    context: /Association Association01 has no targetObject attribute/,
  },
  {
    what: 'an association without associationType',
    break: (doc) => byId(doc, 'Association01').removeAttribute('associationType'),
    location: 'Association01',
    context: /has no associationType attribute/,
  },
  {
    what: 'SubmissionSetStatus outside Original/Reference',
    break: (doc) => slotOf(byId(doc, 'Association01'), 'SubmissionSetStatus').getElementsByTagNameNS(RIM_NS, 'Value')[0]!.firstChild!.nodeValue = 'Nový',
    location: 'Association01',
    context: /Slot SubmissionSetStatus of Association01 "Nový" is not one of Original, Reference/,
  },
  {
    what: 'AssociationPropagation other than yes/no',
    break: (doc) => addSlot(byId(doc, 'Association01'), 'AssociationPropagation', ['možná']),
    location: 'Association01',
    context: /Slot AssociationPropagation of Association01 "možná" is neither yes nor no/,
  },
  {
    what: 'PreviousVersion that is not a number',
    break: (doc) => addSlot(byId(doc, 'Association01'), 'PreviousVersion', ['-1']),
    location: 'Association01',
    context: /Slot PreviousVersion of Association01 "-1" is not a non-negative integer/,
  },
  {
    what: 'an ebRIM class XDS does not use',
    break: (doc) => registryObjectListOf(doc).appendChild(rimElement(doc, 'Service', { id: 'Service01' })),
    location: 'Service01',
    context: /rim:Service is not an object XDS metadata uses/,
  },
  {
    what: 'an element outside the ebRIM namespace',
    break: (doc) => registryObjectListOf(doc).appendChild(doc.createElementNS('urn:example:cz', 'cz:Poznamka')),
    location: 'RegistryObjectList[5]',
    context: /\{urn:example:cz\}Poznamka is not an ebRIM 3\.0 registry object/,
  },
  {
    what: 'a package with a nested RegistryObjectList',
    break: (doc) => byId(doc, 'SubmissionSet01').appendChild(rimElement(doc, 'RegistryObjectList')),
    location: 'SubmissionSet01',
    context: /contains a RegistryObjectList/,
  },
];

describe('ebRIM metadata errors', () => {
  for (const c of CASES) {
    it(`reports ${c.what}`, () => {
      const doc = fixtureDocument(c.fixture ?? 'iti41-single-document.xml');
      c.break(doc);
      const errors = registryErrors(() => readSubmission(registryObjectListOf(doc)));
      assertHasError(errors, META, c.location, c.context);
    });
  }

  it('reports every problem of a message in one RegistryError', () => {
    const doc = fixtureDocument('iti41-two-documents.xml');
    const broken = [
      'a top-level classification pointing at an object not in the message',
      'a DocumentEntry without uniqueId',
      'size that is not an integer',
      'an association without associationType',
    ].map((what) => CASES.find((c) => c.what === what)!);
    for (const c of broken) c.break(doc);
    const errors = registryErrors(() => readSubmission(registryObjectListOf(doc)));
    for (const c of broken) assertHasError(errors, META, c.location, c.context);
  });

  it('refuses an element that is not a rim:RegistryObjectList', () => {
    const doc = fixtureDocument('iti41-single-document.xml');
    const errors = registryErrors(() => readSubmission(doc.documentElement!));
    assertHasError(errors, META, 'RegistryObjectList', /expected rim:RegistryObjectList, got \{urn:ihe:iti:xds-b:2007\}ProvideAndRegisterDocumentSetRequest/);
  });

  it('ignores classifications and identifiers it has no attribute for, with XDSExtraMetadataNotSaved warnings', () => {
    const doc = fixtureDocument('iti41-single-document.xml');
    byId(doc, 'Document01-event1').setAttribute('classificationScheme', 'urn:uuid:11111111-2222-4333-8444-555555555555');
    const extraId = byId(doc, 'Document01-uniqueId').cloneNode(true) as Element;
    extraId.setAttribute('id', 'Document01-nationalId');
    extraId.setAttribute('identificationScheme', 'urn:uuid:66666666-7777-4888-8999-000000000000');
    byId(doc, 'Document01').appendChild(extraId);
    addSlot(byId(doc, 'Document01-classCode'), 'translation', ['x']);
    const { submission, warnings } = readSubmission(registryObjectListOf(doc));
    assert.deepEqual(submission.documents[0]!.eventCodes, []);
    assert.deepEqual(
      warnings.map((w) => [w.code, w.severity, w.location]),
      Array(3).fill([XdsErrorCode.XDSExtraMetadataNotSaved, 'Warning', 'Document01']),
    );
    const contexts = warnings.map((w) => w.context).join('\n');
    for (const what of [/classificationScheme urn:uuid:11111111-2222-4333-8444-555555555555 of Document01-event1/, /identificationScheme urn:uuid:66666666/, /Slot translation of classCode/]) {
      assert.match(contexts, what);
    }
  });

  it('accepts a Metadata-Limited DocumentEntry without patientId', () => {
    const doc = fixtureDocument('iti41-single-document.xml');
    remove(byId(doc, 'Document01-patientId'));
    byId(doc, 'Document01').appendChild(
      rimElement(doc, 'Classification', { id: 'Document01-limited', classifiedObject: 'Document01', classificationNode: 'urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85' }),
    );
    const entry = readSubmission(registryObjectListOf(doc)).submission.documents[0]!;
    assert.equal(entry.limitedMetadata, true);
    assert.equal(entry.patientId, '');
  });
});
