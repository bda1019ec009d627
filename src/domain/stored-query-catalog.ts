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

function documentParams(patient: 'single' | 'multiple' | 'none'): ParamSpec[] {
  const code = (attr: string, field: string): ParamSpec => ({ name: DE + attr, kind: 'code', multiple: true, target: `documents.${field}` });
  const range = (attr: string, field: string): ParamSpec[] => [
    { name: `${DE}${attr}From`, kind: 'time', target: `documents.${field}.from` },
    { name: `${DE}${attr}To`, kind: 'time', target: `documents.${field}.to` },
  ];
  const params: ParamSpec[] = [
    ...documentStatusAndType(),
    code('ClassCode', 'classCodes'),
    code('TypeCode', 'typeCodes'),
    code('PracticeSettingCode', 'practiceSettingCodes'),
    code('HealthcareFacilityTypeCode', 'healthcareFacilityTypeCodes'),
    code('FormatCode', 'formatCodes'),
    { ...code('EventCodeList', 'eventCodes'), andOr: true },
    { ...code('ConfidentialityCode', 'confidentialityCodes'), andOr: true },
    ...range('CreationTime', 'creationTime'),
    ...range('ServiceStartTime', 'serviceStartTime'),
    ...range('ServiceStopTime', 'serviceStopTime'),
    { name: `${DE}AuthorPerson`, kind: 'pattern', multiple: true, target: 'documents.authorPersons' },
  ];
  if (patient === 'single') params.unshift({ name: `${DE}PatientId`, kind: 'patient', required: true, asList: true, target: 'documents.patientIds' });
  if (patient === 'multiple') params.unshift({ name: `${DE}PatientId`, kind: 'patient', multiple: true, target: 'documents.patientIds' });
  return params;
}

function documentStatusAndType(required = true): ParamSpec[] {
  return [
    { name: `${DE}Status`, kind: 'status', required, multiple: true, target: 'documents.statuses' },
    { name: `${DE}Type`, kind: 'objectType', multiple: true, target: 'documents.objectTypes' },
  ];
}

/** The DocumentEntry filters the "...AndContents" and GetAll queries accept. */
function contentsParams(): ParamSpec[] {
  return [
    { name: `${DE}FormatCode`, kind: 'code', multiple: true, target: 'documents.formatCodes' },
    { name: `${DE}ConfidentialityCode`, kind: 'code', multiple: true, andOr: true, target: 'documents.confidentialityCodes' },
    { name: `${DE}Type`, kind: 'objectType', multiple: true, target: 'documents.objectTypes' },
  ];
}

function folderParams(patient: 'single' | 'multiple'): ParamSpec[] {
  return [
    patient === 'single'
      ? { name: '$XDSFolderPatientId', kind: 'patient', required: true, asList: true, target: 'folders.patientIds' }
      : { name: '$XDSFolderPatientId', kind: 'patient', multiple: true, target: 'folders.patientIds' },
    { name: '$XDSFolderLastUpdateTimeFrom', kind: 'time', target: 'folders.lastUpdateTime.from' },
    { name: '$XDSFolderLastUpdateTimeTo', kind: 'time', target: 'folders.lastUpdateTime.to' },
    { name: '$XDSFolderCodeList', kind: 'code', multiple: true, andOr: true, required: patient === 'multiple', target: 'folders.codes' },
    { name: '$XDSFolderStatus', kind: 'status', required: true, multiple: true, target: 'folders.statuses' },
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

function spec(name: StoredQueryName, params: ParamSpec[], extra: Partial<QuerySpec> = {}): QuerySpec {
  return { name, id: StoredQueryId[name], params, ...extra };
}

function choiceOf(params: ParamSpec[]): string[] {
  return params.map((p) => p.name);
}

const docIds = idChoice(DE, 'documentIds', true, true);
const docIdsNoLogical = idChoice(DE, 'documentIds', true);
const folderIds = idChoice('$XDSFolder', 'folderIds', true, true);
const oneDocument = idChoice(DE, 'documentId', false);
const oneFolder = idChoice('$XDSFolder', 'folderId', false);
const oneSubmissionSet = idChoice('$XDSSubmissionSet', 'submissionSetId', false);

export const QUERY_SPECS: readonly QuerySpec[] = [
  spec('FindDocuments', documentParams('single')),
  spec('FindDocumentsByReferenceId', [
    ...documentParams('single'),
    { name: `${DE}ReferenceIdList`, kind: 'string', required: true, multiple: true, andOr: true, target: 'documents.referenceIds' },
  ]),
  spec('FindDocumentsForMultiplePatients', documentParams('multiple'), {
    atLeastOneOf: [`${DE}ClassCode`, `${DE}EventCodeList`, `${DE}HealthcareFacilityTypeCode`],
  }),
  spec('FindSubmissionSets', [
    { name: '$XDSSubmissionSetPatientId', kind: 'patient', required: true, asList: true, target: 'submissionSets.patientIds' },
    { name: '$XDSSubmissionSetSourceId', kind: 'string', multiple: true, target: 'submissionSets.sourceIds' },
    { name: '$XDSSubmissionSetSubmissionTimeFrom', kind: 'time', target: 'submissionSets.submissionTime.from' },
    { name: '$XDSSubmissionSetSubmissionTimeTo', kind: 'time', target: 'submissionSets.submissionTime.to' },
    // Single-valued here, unlike the DocumentEntry author parameter.
    { name: '$XDSSubmissionSetAuthorPerson', kind: 'pattern', asList: true, target: 'submissionSets.authorPersons' },
    { name: '$XDSSubmissionSetContentType', kind: 'code', multiple: true, target: 'submissionSets.contentTypeCodes' },
    { name: '$XDSSubmissionSetStatus', kind: 'status', required: true, multiple: true, target: 'submissionSets.statuses' },
  ]),
  spec('FindFolders', folderParams('single')),
  spec('FindFoldersForMultiplePatients', folderParams('multiple')),
  spec('GetAll', [
    {
      name: '$patientId',
      kind: 'patient',
      required: true,
      asList: true,
      target: ['documents.patientIds', 'folders.patientIds', 'submissionSets.patientIds'],
    },
    ...documentStatusAndType(),
    { name: '$XDSDocumentEntryFormatCode', kind: 'code', multiple: true, target: 'documents.formatCodes' },
    { name: '$XDSDocumentEntryConfidentialityCode', kind: 'code', multiple: true, andOr: true, target: 'documents.confidentialityCodes' },
    { name: '$XDSSubmissionSetStatus', kind: 'status', required: true, multiple: true, target: 'submissionSets.statuses' },
    { name: '$XDSFolderStatus', kind: 'status', required: true, multiple: true, target: 'folders.statuses' },
  ]),
  spec('GetDocuments', [...docIds, METADATA_LEVEL], { exactlyOneOf: choiceOf(docIds) }),
  spec('GetFolders', [...folderIds, METADATA_LEVEL], { exactlyOneOf: choiceOf(folderIds) }),
  spec('GetAssociations', [{ name: '$uuid', kind: 'string', required: true, multiple: true, target: 'uuids' }]),
  spec('GetDocumentsAndAssociations', docIdsNoLogical, { exactlyOneOf: choiceOf(docIdsNoLogical) }),
  spec('GetSubmissionSets', [{ name: '$uuid', kind: 'string', required: true, multiple: true, target: 'uuids' }]),
  spec('GetSubmissionSetAndContents', [...oneSubmissionSet, ...contentsParams()], { exactlyOneOf: choiceOf(oneSubmissionSet) }),
  spec('GetFolderAndContents', [...oneFolder, ...contentsParams()], { exactlyOneOf: choiceOf(oneFolder) }),
  spec('GetFoldersForDocument', oneDocument, { exactlyOneOf: choiceOf(oneDocument) }),
  spec(
    'GetRelatedDocuments',
    [
      ...oneDocument,
      { name: '$AssociationTypes', kind: 'associationType', required: true, multiple: true, target: 'associationTypes' },
      { name: `${DE}Type`, kind: 'objectType', multiple: true, target: 'documents.objectTypes' },
    ],
    { exactlyOneOf: choiceOf(oneDocument) },
  ),
];

const BY_ID = new Map(QUERY_SPECS.map((s) => [s.id, s]));

/** Query ids are UUID URNs; compared case-insensitively, like UUIDs. */
export function querySpecById(queryId: string): QuerySpec | undefined {
  return BY_ID.get(queryId.trim().toLowerCase());
}
