// domain -> ebRIM -> domain: every attribute of every object kind survives the writer and the
// reader, and what the writer produces is well-formed, correctly namespaced ebRIM 3.0.
import assert from 'node:assert/strict';
import type { Element } from '@xmldom/xmldom';
import {
  AssociationType,
  AvailabilityStatus,
  DocumentEntryType,
  type Association,
  type DocumentEntry,
  type Folder,
  type RegistryObject,
  type SubmissionSet,
} from '../../../src/domain/metadata';
import { buildDocument, el, elementChildren, parseXml, serializeXml } from '../../../src/soap';
import {
  decodeRegistryObjectList,
  Problems,
  readSubmission,
  registryObjectList,
  registryObjectsToElements,
  RIM_NS,
  submissionToRegistryObjectList,
  type DecodedObjects,
} from '../../../src/xds/ebrim';
import { association, CONFIDENTIALITY, documentEntry, folder, LOINC, patientCx, SNOMED, submission, submissionSet } from '../../support/metadata-builders';
import { reparse } from './helpers';

const HCID = 'urn:oid:2.25.148925135418390485672493129512813409185';
const patient = patientCx('1234567893');

// Record<keyof T, true> makes the compiler insist on every attribute of the model: a new domain
// attribute fails to compile here until the round trip below covers it.
const DOCUMENT_ENTRY_KEYS: Record<keyof DocumentEntry, true> = {
  entryUuid: true, logicalId: true, version: true, availabilityStatus: true, homeCommunityId: true, extraSlots: true,
  uniqueId: true, objectType: true, patientId: true, sourcePatientId: true, sourcePatientInfo: true, mimeType: true,
  title: true, comments: true, authors: true, classCode: true, typeCode: true, formatCode: true,
  healthcareFacilityTypeCode: true, practiceSettingCode: true, confidentialityCodes: true, eventCodes: true,
  languageCode: true, legalAuthenticator: true, creationTime: true, serviceStartTime: true, serviceStopTime: true,
  hash: true, size: true, repositoryUniqueId: true, uri: true, referenceIds: true, limitedMetadata: true, documentAvailability: true,
};
const SUBMISSION_SET_KEYS: Record<keyof SubmissionSet, true> = {
  entryUuid: true, logicalId: true, version: true, availabilityStatus: true, homeCommunityId: true, extraSlots: true,
  uniqueId: true, sourceId: true, patientId: true, submissionTime: true, contentTypeCode: true, title: true, comments: true,
  authors: true, intendedRecipients: true, limitedMetadata: true,
};
const FOLDER_KEYS: Record<keyof Folder, true> = {
  entryUuid: true, logicalId: true, version: true, availabilityStatus: true, homeCommunityId: true, extraSlots: true,
  uniqueId: true, patientId: true, codes: true, title: true, comments: true, lastUpdateTime: true, limitedMetadata: true,
};
const ASSOCIATION_KEYS: Record<keyof Association, true> = {
  entryUuid: true, logicalId: true, version: true, availabilityStatus: true, homeCommunityId: true, extraSlots: true,
  type: true, sourceId: true, targetId: true, submissionSetStatus: true, originalStatus: true, newStatus: true,
  previousVersion: true, associationPropagation: true,
};

function assertEveryKey(object: object, keys: Record<string, true>): void {
  const missing = Object.keys(keys).filter((k) => (object as Record<string, unknown>)[k] === undefined);
  assert.deepEqual(missing, [], 'the test object sets every attribute of the model');
}

const fullAuthor = {
  person: '^Nováková^Jana^^^MUDr.',
  institutions: ['Krajská nemocnice Horní Lhota^^^^^&1.2.203.999.20&ISO^^^^00012345', 'Interní oddělení^^^^^^^^^1.2.203.999.20.9'],
  roles: ['Ošetřující lékař', 'Primář'],
  specialties: ['Vnitřní lékařství'],
  telecommunications: ['^^Internet^jana.novakova@nemocnice-hl.example.cz', '^PRN^PH^^420^577123456'],
};

function fullDocumentEntry(): DocumentEntry {
  return documentEntry(patient, {
    entryUuid: 'urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01',
    uniqueId: '1.2.203.999.20.3.1001^v2',
    logicalId: 'urn:uuid:3b5f1c8e-2d47-4a9b-b6e1-0c9d8e7f6a51',
    version: 2,
    availabilityStatus: AvailabilityStatus.Approved,
    homeCommunityId: HCID,
    extraSlots: { 'urn:cz:horni-lhota:oddeleni': ['INT-2', 'JIP-1'], 'urn:cz:empty': [] },
    objectType: DocumentEntryType.Stable,
    sourcePatientId: '880412^^^&1.2.203.999.20.4&ISO',
    sourcePatientInfo: ['PID-3|880412^^^&1.2.203.999.20.4&ISO', 'PID-5|Svobodová^Marie^^^', 'PID-8|F'],
    mimeType: 'application/pdf',
    title: 'Propouštěcí zpráva <interní> & "JIP"',
    comments: '  Mezery na okrajích zůstanou  ',
    authors: [fullAuthor, { institutions: ['OKB^^^^^^^^^1.2.203.999.20.7'], roles: [], specialties: [], telecommunications: [] }],
    confidentialityCodes: [{ code: 'N', scheme: CONFIDENTIALITY, display: 'normální' }, { code: 'R', scheme: CONFIDENTIALITY }],
    eventCodes: [{ code: 'I10', scheme: '2.16.840.1.113883.6.3', display: 'Hypertenze' }, { code: '38341003', scheme: SNOMED }],
    legalAuthenticator: '987654321^Dvořák^Petr^^^doc. MUDr.',
    serviceStartTime: '20261028',
    serviceStopTime: '202611031200',
    uri: 'https://nemocnice-hl.example.cz/dokumenty/1001.pdf',
    referenceIds: ['HOSP-2026-000417^^^&1.2.203.999.20.5&ISO^urn:ihe:iti:xds:2013:encounterId', 'ACC-77^^^&1.2.203.999.20.8&ISO^urn:ihe:iti:xds:2013:accession'],
    limitedMetadata: true,
    documentAvailability: 'urn:ihe:iti:2010:DocumentAvailability:Offline',
  });
}

function fullSubmissionSet(): SubmissionSet {
  return submissionSet(patient, {
    entryUuid: 'urn:uuid:1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100',
    uniqueId: '1.2.203.999.20.2.1001',
    logicalId: 'urn:uuid:1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100',
    version: 1,
    availabilityStatus: AvailabilityStatus.Approved,
    homeCommunityId: HCID,
    extraSlots: { 'urn:cz:priorita': ['vysoká'] },
    contentTypeCode: { code: '34133-9', scheme: LOINC, display: 'Souhrn epizody péče' },
    title: 'Propuštění z hospitalizace',
    comments: 'Odesláno praktickému lékaři',
    authors: [fullAuthor],
    intendedRecipients: ['Ordinace PL^^^^^&1.2.203.999.40&ISO^^^^00067890|^Veselý^Karel^^^MUDr.', '|^Veselý^Karel^^^MUDr.|^^Internet^vesely@example.cz'],
    limitedMetadata: true,
  });
}

function fullFolder(): Folder {
  return folder(patient, {
    entryUuid: 'urn:uuid:c4d2e1f0-8a7b-4c6d-9e5f-1a2b3c4d5e6f',
    uniqueId: '1.2.203.999.20.6.1001',
    logicalId: 'urn:uuid:c4d2e1f0-8a7b-4c6d-9e5f-1a2b3c4d5e6f',
    version: 3,
    availabilityStatus: AvailabilityStatus.Deprecated,
    homeCommunityId: HCID,
    extraSlots: { 'urn:cz:oddeleni': ['INT'] },
    codes: [{ code: 'HOSP', scheme: '1.2.203.999.50', display: 'Hospitalizace' }, { code: '419192003', scheme: SNOMED }],
    title: 'Hospitalizace 10/2026',
    comments: 'Jedna hospitalizace',
    lastUpdateTime: '20261105080000',
    limitedMetadata: true,
  });
}

function fullAssociations(): Association[] {
  const common = { logicalId: 'urn:uuid:aa000000-0000-4000-8000-000000000001', version: 1, availabilityStatus: AvailabilityStatus.Approved, homeCommunityId: HCID, extraSlots: { 'urn:cz:poznamka': ['x'] } };
  return [
    association(AssociationType.HasMember, 'urn:uuid:1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', 'urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01', {
      ...common,
      entryUuid: 'urn:uuid:aa000000-0000-4000-8000-000000000001',
      submissionSetStatus: 'Original',
      previousVersion: 1,
      associationPropagation: false,
      originalStatus: AvailabilityStatus.Approved,
      newStatus: AvailabilityStatus.Deprecated,
    }),
    association(AssociationType.UpdateAvailabilityStatus, 'SubmissionSet', 'urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', {
      ...common,
      entryUuid: 'StatusChange',
      submissionSetStatus: 'Reference',
      previousVersion: 12,
      associationPropagation: true,
      originalStatus: AvailabilityStatus.Deprecated,
      newStatus: AvailabilityStatus.Approved,
    }),
  ];
}

function decode(list: Element): DecodedObjects {
  const problems = new Problems();
  const decoded = decodeRegistryObjectList(list, problems);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.warnings, []);
  return decoded;
}

/** ebRIM 3.0 RegistryObjectType content order; ExtrinsicObject adds nothing we write. */
const CHILD_ORDER = ['Slot', 'Name', 'Description', 'VersionInfo', 'Classification', 'ExternalIdentifier'];

function assertRimContent(element: Element): void {
  assert.equal(element.namespaceURI, RIM_NS);
  const ranks = elementChildren(element).map((c) => {
    assert.equal(c.namespaceURI, RIM_NS, `${c.nodeName} is in the rim namespace`);
    return CHILD_ORDER.indexOf(c.localName!);
  });
  assert.ok(ranks.every((r) => r >= 0), `only ebRIM children in ${element.getAttribute('id')}`);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `children of ${element.getAttribute('id')} follow the schema order`);
}

describe('domain -> ebRIM -> domain', () => {
  it('the test objects set every attribute of the model', () => {
    assertEveryKey(fullDocumentEntry(), DOCUMENT_ENTRY_KEYS);
    assertEveryKey(fullSubmissionSet(), SUBMISSION_SET_KEYS);
    assertEveryKey(fullFolder(), FOLDER_KEYS);
    for (const a of fullAssociations()) assertEveryKey(a, ASSOCIATION_KEYS);
  });

  it('keeps every attribute of a DocumentEntry, SubmissionSet, Folder and Association (LeafClass)', () => {
    const objects: RegistryObject[] = [
      { kind: 'SubmissionSet', ...fullSubmissionSet() },
      { kind: 'DocumentEntry', ...fullDocumentEntry() },
      { kind: 'Folder', ...fullFolder() },
      ...fullAssociations().map((a): RegistryObject => ({ kind: 'Association', ...a })),
    ];
    const { list } = reparse(registryObjectList(objects, { returnType: 'LeafClass' }));
    // An empty extra slot has no value to carry, but the slot itself comes back.
    assert.deepStrictEqual(decode(list), {
      submissionSets: [fullSubmissionSet()],
      documents: [fullDocumentEntry()],
      folders: [fullFolder()],
      associations: fullAssociations(),
    });
  });

  it('keeps a minimal builder submission (symbolic ids, optional attributes absent) as it is', () => {
    const s = submission(patient, { documents: [documentEntry(patient), documentEntry(patient, { objectType: DocumentEntryType.OnDemand })], folders: [folder(patient)] });
    const { list } = reparse(submissionToRegistryObjectList(s));
    const back = readSubmission(list);
    assert.deepStrictEqual(back.submission, s);
    assert.deepEqual(back.warnings, []);
  });

  it('writes well-formed XML with the rim namespace declared once and every element in it', () => {
    const objects: RegistryObject[] = [{ kind: 'DocumentEntry', ...fullDocumentEntry() }, { kind: 'Folder', ...fullFolder() }];
    const { xml, list } = reparse(registryObjectList(objects, { returnType: 'LeafClass' }));
    assert.match(xml, /^<rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3\.0">/);
    assert.equal(xml.match(/xmlns:/g)!.length, 1, 'one namespace declaration');
    const all = list.getElementsByTagName('*');
    for (let i = 0; i < all.length; i++) assert.equal(all[i]!.namespaceURI, RIM_NS);
    for (const object of elementChildren(list)) assertRimContent(object);
    // Text with markup characters and non-ASCII comes back exactly (escaped by the serializer).
    assert.ok(xml.includes('Propouštěcí zpráva &lt;interní&gt; &amp; &quot;JIP&quot;'));
  });

  it('writes the same ids every time, unique within the result', () => {
    const objects: RegistryObject[] = [
      { kind: 'SubmissionSet', ...fullSubmissionSet() },
      { kind: 'DocumentEntry', ...fullDocumentEntry() },
      { kind: 'Folder', ...fullFolder() },
    ];
    const first = reparse(registryObjectList(objects, { returnType: 'LeafClass' }));
    const second = reparse(registryObjectList(objects, { returnType: 'LeafClass' }));
    assert.equal(first.xml, second.xml);
    const ids = [...first.xml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.filter((id) => !objects.some((o) => o.entryUuid === id)).every((id) => /^urn:uuid:[0-9a-f-]{36}$/.test(id!)));
  });

  it('returns free-standing DOM elements that can be placed into another document', () => {
    const objects: RegistryObject[] = [{ kind: 'DocumentEntry', ...fullDocumentEntry() }, { kind: 'Folder', ...fullFolder() }];
    const elements = registryObjectsToElements(objects, { returnType: 'LeafClass' });
    assert.deepEqual(elements.map((e) => [e.namespaceURI, e.prefix, e.localName, e.parentNode]), [
      [RIM_NS, 'rim', 'ExtrinsicObject', null],
      [RIM_NS, 'rim', 'RegistryPackage', null],
    ]);
    for (const e of elements) parseXml(serializeXml(e)); // each one alone is a well-formed document
    const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
    const response = buildDocument(
      el(QUERY, 'query:AdhocQueryResponse', { status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success' }, el(RIM_NS, 'rim:RegistryObjectList', {}, ...elements)),
    );
    const list = parseXml(serializeXml(response)).getElementsByTagNameNS(RIM_NS, 'RegistryObjectList')[0]!;
    const decoded = decode(list);
    assert.deepStrictEqual(decoded.documents, [fullDocumentEntry()]);
    assert.deepStrictEqual(decoded.folders, [fullFolder()]);
  });

  it('writes ObjectRefs with id and home only, the object\'s own home winning over the option', () => {
    const local = { ...documentEntry(patient), entryUuid: 'urn:uuid:0d5f7b9e-3c44-4b7e-9a61-2f1f7c8e1a01' };
    const remote = { ...fullFolder(), homeCommunityId: 'urn:oid:1.2.203.999.77' };
    const { xml, list } = reparse(
      registryObjectList([{ kind: 'DocumentEntry', ...local }, { kind: 'Folder', ...remote }], { returnType: 'ObjectRef', homeCommunityId: HCID }),
    );
    const refs = elementChildren(list);
    assert.deepEqual(
      refs.map((r) => [r.namespaceURI, r.localName, r.getAttribute('id'), r.getAttribute('home'), r.attributes.length, elementChildren(r).length]),
      [
        [RIM_NS, 'ObjectRef', local.entryUuid, HCID, 2, 0],
        [RIM_NS, 'ObjectRef', remote.entryUuid, 'urn:oid:1.2.203.999.77', 2, 0],
      ],
    );
    assert.doesNotMatch(xml, /Slot|Classification/);
  });

  it('leaves home out of an ObjectRef when neither the object nor the options give one', () => {
    const [ref] = registryObjectsToElements([{ kind: 'Association', ...association(AssociationType.HasMember, 'a', 'b', { entryUuid: 'urn:uuid:aa000000-0000-4000-8000-000000000009' }) }], { returnType: 'ObjectRef' });
    assert.equal(serializeXml(ref!), '<rim:ObjectRef id="urn:uuid:aa000000-0000-4000-8000-000000000009" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/>');
  });
});
