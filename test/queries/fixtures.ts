// Registry content for the stored-query tests, written straight into the tables with the
// row insert functions (no submission logic involved). Two patients with documents in
// every state the queries distinguish, folders, submission sets and relationship links.
import {
  AssociationType,
  AvailabilityStatus,
  DocumentEntryType,
  type Association,
  type Code,
  type DocumentEntry,
  type Folder,
  type SubmissionSet,
} from '../../src/domain/metadata';
import { StoredQueryId, type StoredQueryName } from '../../src/domain/stored-queries';
import type { StoredQueryRequest } from '../../src/xds/stored-query-request';
import type { SqlExecutor } from '../../src/store/sql/database';
import { insertAssociation, insertDocumentEntry, insertFolder, insertSubmissionSet } from '../../src/store/sql/registry-rows';

export const AUTHORITY = '1.2.203.999.1.1';
export const PATIENT_A = `8203150018^^^&${AUTHORITY}&ISO`;
export const PATIENT_B = `7551010007^^^&${AUTHORITY}&ISO`;
/** Holds only the two versions of one document (metadata versioning). */
export const PATIENT_C = `9001010008^^^&${AUTHORITY}&ISO`;
/** Known to no object. */
export const PATIENT_NONE = `6601010003^^^&${AUTHORITY}&ISO`;

export const LOINC = '2.16.840.1.113883.6.1';
export const CLASS_SCHEME = '1.2.203.999.5.1';
export const CONF_SCHEME = '2.16.840.1.113883.5.25';
export const EVENT_SCHEME = '1.2.203.999.5.2';

const code = (c: string, scheme: string): Code => ({ code: c, scheme, display: c });
export const key = (c: Code): string => `${c.code}^^^${c.scheme}`;

export const C = {
  report: code('REPORT', CLASS_SCHEME),
  summary: code('SUMMARY', CLASS_SCHEME),
  /** Same code, another scheme: a scheme-less query value matches both. */
  reportOther: code('REPORT', '1.2.203.999.5.9'),
  dischargeType: code('18842-5', LOINC),
  labType: code('11502-2', LOINC),
  normal: code('N', CONF_SCHEME),
  restricted: code('R', CONF_SCHEME),
  veryRestricted: code('V', CONF_SCHEME),
  cardio: code('CARDIO', EVENT_SCHEME),
  ecg: code('ECG', EVENT_SCHEME),
  xray: code('XRAY', EVENT_SCHEME),
  pdf: code('urn:ihe:iti:xds:2017:mimeTypeSufficient', '1.3.6.1.4.1.19376.1.2.3'),
  cda: code('urn:ihe:pcc:xds-ms:2007', '1.3.6.1.4.1.19376.1.2.3'),
  hospital: code('22232009', '2.16.840.1.113883.6.96'),
  clinic: code('35971002', '2.16.840.1.113883.6.96'),
  internal: code('394802001', '2.16.840.1.113883.6.96'),
  surgery: code('394609007', '2.16.840.1.113883.6.96'),
  folderCardio: code('CARDIO-FOLDER', '1.2.203.999.5.3'),
  folderLab: code('LAB-FOLDER', '1.2.203.999.5.3'),
  contentReferral: code('REFERRAL', '1.2.203.999.5.4'),
  contentDischarge: code('DISCHARGE', '1.2.203.999.5.4'),
};

let counter = 0;
/** Deterministic, readable entryUUIDs: the label is encoded in the last group. */
export function uuid(): string {
  counter += 1;
  return `urn:uuid:5e1f0000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function documentEntry(over: Partial<DocumentEntry> & { label: string }): DocumentEntry & { label: string } {
  const entryUuid = over.entryUuid ?? uuid();
  return {
    entryUuid,
    uniqueId: `1.2.203.999.7.${counter}`,
    objectType: DocumentEntryType.Stable,
    patientId: PATIENT_A,
    mimeType: 'application/pdf',
    title: over.label,
    authors: [],
    classCode: C.report,
    typeCode: C.dischargeType,
    formatCode: C.pdf,
    healthcareFacilityTypeCode: C.hospital,
    practiceSettingCode: C.internal,
    confidentialityCodes: [C.normal],
    eventCodes: [],
    referenceIds: [],
    availabilityStatus: AvailabilityStatus.Approved,
    languageCode: 'cs-CZ',
    hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    size: 0,
    repositoryUniqueId: '1.2.203.999.9.1',
    ...over,
  };
}

export function author(person: string) {
  return { person, institutions: [], roles: [], specialties: [], telecommunications: [] };
}

export function submissionSet(over: Partial<SubmissionSet> & { label: string }): SubmissionSet & { label: string } {
  return {
    entryUuid: uuid(),
    uniqueId: `1.2.203.999.8.${counter}`,
    sourceId: '1.2.203.999.6.1',
    patientId: PATIENT_A,
    submissionTime: '20240101120000',
    authors: [],
    intendedRecipients: [],
    availabilityStatus: AvailabilityStatus.Approved,
    ...over,
  };
}

export function folder(over: Partial<Folder> & { label: string }): Folder & { label: string } {
  return {
    entryUuid: uuid(),
    uniqueId: `1.2.203.999.10.${counter}`,
    patientId: PATIENT_A,
    codes: [],
    availabilityStatus: AvailabilityStatus.Approved,
    ...over,
  };
}

export function association(type: string, source: { entryUuid: string }, target: { entryUuid: string }, over: Partial<Association> = {}): Association {
  return {
    entryUuid: uuid(),
    type,
    sourceId: source.entryUuid,
    targetId: target.entryUuid,
    availabilityStatus: AvailabilityStatus.Approved,
    ...over,
  };
}

const member = (source: { entryUuid: string }, target: { entryUuid: string }, status: 'Original' | 'Reference' = 'Original') =>
  association(AssociationType.HasMember, source, target, { submissionSetStatus: status });

/**
 * The registry content. Patient A:
 *   ss1 (2024-01-10): d1, f1 (+ f1->d1), d5 (on-demand)
 *   ss2 (2024-03-01): d3 RPLC d2 (d2 deprecated, submitted in ss0), f1->d3 added to existing f1
 *   ss3 (2024-03-15): d4, d6 APND d3, d7 XFRM d1, d8 (class code in another scheme)
 *   f2: empty folder, deprecated folder f4
 * Patient B: ssB with e1 and folder fB (e1).
 * Patient C: v1 (deprecated) and v2, two versions of one document.
 */
export function buildRegistry() {
  const d1 = documentEntry({
    label: 'd1 discharge report',
    eventCodes: [C.cardio, C.ecg],
    confidentialityCodes: [C.normal],
    authors: [author('^Novák^Jan^^^MUDr.'), author('12345^Dvořák^Petr^^^^^^&1.2.203.999.3&ISO')],
    creationTime: '20240110',
    serviceStartTime: '20240105080000',
    serviceStopTime: '20240109100000',
    referenceIds: [`ACC-1^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:accession`, `ORD-7^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:order`],
  });
  const d2 = documentEntry({
    label: 'd2 replaced report',
    availabilityStatus: AvailabilityStatus.Deprecated,
    eventCodes: [C.cardio],
    creationTime: '20240201',
    authors: [author('^Novák^Jan^^^MUDr.')],
  });
  const d3 = documentEntry({
    label: 'd3 replacement report',
    eventCodes: [C.cardio],
    confidentialityCodes: [C.normal, C.restricted],
    creationTime: '20240301101500',
    serviceStartTime: '20240220',
    serviceStopTime: '20240225',
    authors: [author('^Svobodová^Eva^^^MUDr.')],
    referenceIds: [`ACC-1^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:accession`],
  });
  const d4 = documentEntry({
    label: 'd4 lab summary',
    classCode: C.summary,
    typeCode: C.labType,
    formatCode: C.cda,
    healthcareFacilityTypeCode: C.clinic,
    practiceSettingCode: C.surgery,
    eventCodes: [C.xray],
    confidentialityCodes: [C.veryRestricted],
    authors: [author('^Svobodová^Eva^^^MUDr.')],
    // no creation/service times: never matches a time parameter
  });
  const d5 = documentEntry({ label: 'd5 on-demand summary', objectType: DocumentEntryType.OnDemand, classCode: C.summary, creationTime: '20240110' });
  const d6 = documentEntry({ label: 'd6 addendum', creationTime: '20240315', confidentialityCodes: [C.restricted], referenceIds: [`ORD-7^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:order`] });
  const d7 = documentEntry({ label: 'd7 transform of d1', formatCode: C.cda, creationTime: '20240315' });
  const d8 = documentEntry({ label: 'd8 other-scheme report', classCode: C.reportOther, creationTime: '20240316' });
  const e1 = documentEntry({ label: 'e1 patient B report', patientId: PATIENT_B, eventCodes: [C.cardio], creationTime: '20240110', referenceIds: [`ACC-1^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:accession`] });

  // Two metadata versions of one document (ITI-57): same logicalID and uniqueId.
  const v1 = documentEntry({ label: 'v1 first version', patientId: PATIENT_C, classCode: C.summary, availabilityStatus: AvailabilityStatus.Deprecated });
  const v2 = documentEntry({ label: 'v2 second version', patientId: PATIENT_C, classCode: C.summary, uniqueId: v1.uniqueId, logicalId: v1.entryUuid, version: 2 });

  const f1 = folder({ label: 'f1 cardiology', codes: [C.folderCardio], lastUpdateTime: '20240301120000' });
  const f2 = folder({ label: 'f2 lab', codes: [C.folderLab, C.folderCardio], lastUpdateTime: '20240110' });
  const f4 = folder({ label: 'f4 deprecated', codes: [C.folderLab], availabilityStatus: AvailabilityStatus.Deprecated, lastUpdateTime: '20240110' });
  const fB = folder({ label: 'fB patient B', patientId: PATIENT_B, codes: [C.folderCardio], lastUpdateTime: '20240110' });

  const ss0 = submissionSet({ label: 'ss0', submissionTime: '20240201090000', contentTypeCode: C.contentReferral, authors: [author('^Novák^Jan^^^MUDr.')] });
  const ss1 = submissionSet({ label: 'ss1', submissionTime: '20240110120000', contentTypeCode: C.contentDischarge, authors: [author('^Novák^Jan^^^MUDr.')] });
  const ss2 = submissionSet({ label: 'ss2', submissionTime: '20240301120000', sourceId: '1.2.203.999.6.2', contentTypeCode: C.contentDischarge, authors: [author('^Svobodová^Eva^^^MUDr.')] });
  const ss3 = submissionSet({ label: 'ss3', submissionTime: '20240315120000', sourceId: '1.2.203.999.6.2', authors: [author('^Svobodová^Eva^^^MUDr.')] });
  const ssB = submissionSet({ label: 'ssB', patientId: PATIENT_B, submissionTime: '20240110120000' });

  const f1d1 = member(f1, d1);
  const f1d3 = member(f1, d3);
  const fBe1 = member(fB, e1);
  const rplc = association(AssociationType.Replace, d3, d2);
  const apnd = association(AssociationType.Append, d6, d3);
  const xfrm = association(AssociationType.Transform, d7, d1);
  const links = {
    f1d1,
    f1d3,
    fBe1,
    rplc,
    apnd,
    xfrm,
    ss0d2: member(ss0, d2),
    ss1d1: member(ss1, d1),
    ss1f1: member(ss1, f1),
    ss1f1d1: member(ss1, f1d1),
    ss1d5: member(ss1, d5),
    ss2d3: member(ss2, d3),
    ss2rplc: member(ss2, rplc),
    ss2f1d3: member(ss2, f1d3),
    ss2f1: member(ss2, f1, 'Reference'),
    ss3d4: member(ss3, d4),
    ss3d6: member(ss3, d6),
    ss3d7: member(ss3, d7),
    ss3d8: member(ss3, d8),
    ss3apnd: member(ss3, apnd),
    ss3xfrm: member(ss3, xfrm),
    ss3f2: member(ss3, f2),
    ss3f4: member(ss3, f4),
    ssBe1: member(ssB, e1),
    ssBfB: member(ssB, fB),
    ssBfBe1: member(ssB, fBe1),
  };
  return {
    docs: { d1, d2, d3, d4, d5, d6, d7, d8, e1, v1, v2 },
    folders: { f1, f2, f4, fB },
    sets: { ss0, ss1, ss2, ss3, ssB },
    links,
  };
}

export type Registry = ReturnType<typeof buildRegistry>;

export async function loadRegistry(db: SqlExecutor): Promise<Registry> {
  const r = buildRegistry();
  for (const s of Object.values(r.sets)) await insertSubmissionSet(db, s);
  for (const f of Object.values(r.folders)) await insertFolder(db, f);
  for (const d of Object.values(r.docs)) await insertDocumentEntry(db, d);
  for (const a of Object.values(r.links)) await insertAssociation(db, a);
  return r;
}

type ParamValue = string | string[] | string[][];

/** A request; a string is one value, a string[] one OR-list, a string[][] AND-groups. */
export function request(name: StoredQueryName, params: Record<string, ParamValue>, returnType: 'LeafClass' | 'ObjectRef' = 'LeafClass'): StoredQueryRequest {
  const norm: Record<string, string[][]> = {};
  for (const [k, v] of Object.entries(params)) {
    norm[k] = typeof v === 'string' ? [[v]] : v.length > 0 && Array.isArray(v[0]) ? (v as string[][]) : [v as string[]];
  }
  return { queryId: StoredQueryId[name], params: norm, returnType };
}

export const APPROVED = AvailabilityStatus.Approved;
export const DEPRECATED = AvailabilityStatus.Deprecated;

/** Names (d1, f1, ss1, rplc, ...) of entryUUIDs, in the order given. */
export function namer(r: Registry): (ids: readonly string[]) => string[] {
  const byId = new Map<string, string>();
  for (const group of [r.docs, r.folders, r.sets, r.links] as Record<string, { entryUuid: string }>[]) {
    for (const [name, obj] of Object.entries(group)) byId.set(obj.entryUuid, name);
  }
  return (ids) => ids.map((id) => byId.get(id) ?? id);
}
