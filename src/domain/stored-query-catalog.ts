/**
 * The catalogue of stored queries: ids, names and parameter tables of the ITI-18
 * Registry Stored Queries and the ITI-51 Multi-Patient Stored Queries.
 *
 * Each parameter says how it is coded (kind), whether it is required, whether it takes
 * several values (OR-ed) and whether it may be repeated as AND-ed groups; `target` says
 * where its normalised value lands in the typed query (see stored-queries.ts).
 */

export const StoredQueryId = {
  FindDocuments: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  FindDocumentsByReferenceId: 'urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492',
  FindSubmissionSets: 'urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9',
  FindFolders: 'urn:uuid:958f3006-baad-4929-a4de-ff1114824431',
  GetAll: 'urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3',
  GetDocuments: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
  GetFolders: 'urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4',
  GetAssociations: 'urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155',
  GetDocumentsAndAssociations: 'urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a',
  GetSubmissionSets: 'urn:uuid:51224314-5390-4169-9b91-b1980040715a',
  GetSubmissionSetAndContents: 'urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83',
  GetFolderAndContents: 'urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7',
  GetFoldersForDocument: 'urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578',
  GetRelatedDocuments: 'urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6',
  FindDocumentsForMultiplePatients: 'urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f',
  FindFoldersForMultiplePatients: 'urn:uuid:50d3f5ac-39a2-11de-a1ca-b366239e58df',
} as const;
export type StoredQueryName = keyof typeof StoredQueryId;

/** How a parameter value is coded, which decides how it is checked and normalised. */
export type ParamKind =
  | 'patient' // CX
  | 'status' // availabilityStatus URN
  | 'code' // code^^^scheme, scheme optional
  | 'time' // DTM
  | 'pattern' // SQL LIKE pattern (% and _)
  | 'string'
  | 'objectType' // DocumentEntry objectType UUID
  | 'associationType'
  | 'metadataLevel';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  required?: boolean;
  /** Several values (OR-ed). */
  multiple?: boolean;
  /** Several AND-ed groups of OR-ed values. */
  andOr?: boolean;
  /** Dotted paths into the typed query where the value is stored. */
  target: string | string[];
  /** A single-valued parameter stored as a one-element list (a patient filter shared with multi-patient queries). */
  asList?: boolean;
}

export interface QuerySpec {
  name: StoredQueryName;
  id: string;
  params: ParamSpec[];
  /** Exactly one of these parameters must be given (an identifier choice). */
  exactlyOneOf?: string[];
  /** At least one of these parameters must be given. */
  atLeastOneOf?: string[];
}

const DE = '$XDSDocumentEntry';

/** An availabilityStatus parameter: required wherever a query has one. */
function status(name: string, target: string): ParamSpec {
  return { name, kind: 'status', required: true, multiple: true, target };
}

function codes(name: string, target: string, andOr = false): ParamSpec {
  return { name, kind: 'code', multiple: true, andOr, target };
}

/** From (inclusive) / To (exclusive) pair on one time attribute. */
function timeRange(prefix: string, target: string): ParamSpec[] {
  return [
    { name: `${prefix}From`, kind: 'time', target: `${target}.from` },
    { name: `${prefix}To`, kind: 'time', target: `${target}.to` },
  ];
}

/** A patient parameter: single-valued in ITI-18 queries, an optional list in ITI-51 ones. */
function patient(name: string, target: string | string[], multiPatient: boolean): ParamSpec {
  return multiPatient
    ? { name, kind: 'patient', multiple: true, target }
    : { name, kind: 'patient', required: true, asList: true, target };
}

/** The DocumentEntry filters the "...AndContents" queries and GetAll accept (also part of FindDocuments). */
function contentsParams(): ParamSpec[] {
  return [
    codes(`${DE}FormatCode`, 'documents.formatCodes'),
    codes(`${DE}ConfidentialityCode`, 'documents.confidentialityCodes', true),
    { name: `${DE}Type`, kind: 'objectType', multiple: true, target: 'documents.objectTypes' },
  ];
}

function findDocumentsParams(multiPatient: boolean): ParamSpec[] {
  return [
    patient(`${DE}PatientId`, 'documents.patientIds', multiPatient),
    status(`${DE}Status`, 'documents.statuses'),
    ...contentsParams(),
    codes(`${DE}ClassCode`, 'documents.classCodes'),
    codes(`${DE}TypeCode`, 'documents.typeCodes'),
    codes(`${DE}PracticeSettingCode`, 'documents.practiceSettingCodes'),
    codes(`${DE}HealthcareFacilityTypeCode`, 'documents.healthcareFacilityTypeCodes'),
    codes(`${DE}EventCodeList`, 'documents.eventCodes', true),
    ...timeRange(`${DE}CreationTime`, 'documents.creationTime'),
    ...timeRange(`${DE}ServiceStartTime`, 'documents.serviceStartTime'),
    ...timeRange(`${DE}ServiceStopTime`, 'documents.serviceStopTime'),
    { name: `${DE}AuthorPerson`, kind: 'pattern', multiple: true, target: 'documents.authorPersons' },
  ];
}

function findFoldersParams(multiPatient: boolean): ParamSpec[] {
  return [
    patient('$XDSFolderPatientId', 'folders.patientIds', multiPatient),
    ...timeRange('$XDSFolderLastUpdateTime', 'folders.lastUpdateTime'),
    // The multi-patient form needs some criterion besides status: the code list is required there.
    { ...codes('$XDSFolderCodeList', 'folders.codes', true), required: multiPatient },
    status('$XDSFolderStatus', 'folders.statuses'),
  ];
}

/** An identifier choice: one of entryUUID / uniqueId (/ logicalID), each single- or multi-valued. */
function idChoice(prefix: string, target: string, multiple: boolean, withLogicalId = false): ParamSpec[] {
  const params: ParamSpec[] = [
    { name: `${prefix}EntryUUID`, kind: 'string', multiple, target: `${target}.entryUuid` },
    { name: `${prefix}UniqueId`, kind: 'string', multiple, target: `${target}.uniqueId` },
  ];
  if (withLogicalId) params.push({ name: `${prefix}LogicalID`, kind: 'string', multiple, target: `${target}.logicalId` });
  return params;
}

const METADATA_LEVEL: ParamSpec = { name: '$MetadataLevel', kind: 'metadataLevel', target: 'metadataLevel' };
const UUIDS: ParamSpec = { name: '$uuid', kind: 'string', required: true, multiple: true, target: 'uuids' };

function spec(name: StoredQueryName, params: ParamSpec[], extra: Partial<QuerySpec> = {}): QuerySpec {
  return { name, id: StoredQueryId[name], params, ...extra };
}

/** A query naming its object(s) by exactly one of the identifier parameters `ids`. */
function byId(name: StoredQueryName, ids: ParamSpec[], more: ParamSpec[] = []): QuerySpec {
  return spec(name, [...ids, ...more], { exactlyOneOf: ids.map((p) => p.name) });
}

const docIds = idChoice(DE, 'documentIds', true, true);
const docIdsNoLogical = idChoice(DE, 'documentIds', true);
const folderIds = idChoice('$XDSFolder', 'folderIds', true, true);
const oneDocument = idChoice(DE, 'documentId', false);
const oneFolder = idChoice('$XDSFolder', 'folderId', false);
const oneSubmissionSet = idChoice('$XDSSubmissionSet', 'submissionSetId', false);

export const QUERY_SPECS: readonly QuerySpec[] = [
  spec('FindDocuments', findDocumentsParams(false)),
  spec('FindDocumentsByReferenceId', [
    ...findDocumentsParams(false),
    { name: `${DE}ReferenceIdList`, kind: 'string', required: true, multiple: true, andOr: true, target: 'documents.referenceIds' },
  ]),
  spec('FindDocumentsForMultiplePatients', findDocumentsParams(true), {
    atLeastOneOf: [`${DE}ClassCode`, `${DE}EventCodeList`, `${DE}HealthcareFacilityTypeCode`],
  }),
  spec('FindSubmissionSets', [
    patient('$XDSSubmissionSetPatientId', 'submissionSets.patientIds', false),
    { name: '$XDSSubmissionSetSourceId', kind: 'string', multiple: true, target: 'submissionSets.sourceIds' },
    ...timeRange('$XDSSubmissionSetSubmissionTime', 'submissionSets.submissionTime'),
    // Single-valued here, unlike the DocumentEntry author parameter.
    { name: '$XDSSubmissionSetAuthorPerson', kind: 'pattern', asList: true, target: 'submissionSets.authorPersons' },
    codes('$XDSSubmissionSetContentType', 'submissionSets.contentTypeCodes'),
    status('$XDSSubmissionSetStatus', 'submissionSets.statuses'),
  ]),
  spec('FindFolders', findFoldersParams(false)),
  spec('FindFoldersForMultiplePatients', findFoldersParams(true)),
  spec('GetAll', [
    patient('$patientId', ['documents.patientIds', 'folders.patientIds', 'submissionSets.patientIds'], false),
    status(`${DE}Status`, 'documents.statuses'),
    ...contentsParams(),
    status('$XDSSubmissionSetStatus', 'submissionSets.statuses'),
    status('$XDSFolderStatus', 'folders.statuses'),
  ]),
  byId('GetDocuments', docIds, [METADATA_LEVEL]),
  byId('GetFolders', folderIds, [METADATA_LEVEL]),
  spec('GetAssociations', [UUIDS]),
  byId('GetDocumentsAndAssociations', docIdsNoLogical),
  spec('GetSubmissionSets', [UUIDS]),
  byId('GetSubmissionSetAndContents', oneSubmissionSet, contentsParams()),
  byId('GetFolderAndContents', oneFolder, contentsParams()),
  byId('GetFoldersForDocument', oneDocument),
  byId('GetRelatedDocuments', oneDocument, [
    { name: '$AssociationTypes', kind: 'associationType', required: true, multiple: true, target: 'associationTypes' },
    { name: `${DE}Type`, kind: 'objectType', multiple: true, target: 'documents.objectTypes' },
  ]),
];

const BY_ID = new Map(QUERY_SPECS.map((s) => [s.id, s]));

/** Query ids are UUID URNs; compared case-insensitively, like UUIDs. */
export function querySpecById(queryId: string): QuerySpec | undefined {
  return BY_ID.get(queryId.trim().toLowerCase());
}
