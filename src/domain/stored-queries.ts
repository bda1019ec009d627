/**
 * The registry query model (ITI-18 Registry Stored Query, ITI-51 Multi-Patient Stored
 * Query): the typed StoredQuery the registry checks (registry-query.ts) and the store compiles
 * to SQL. Front ends build it with values, never strings of a wire syntax: MHD from the ITI-67/66
 * search parameters, XDS from the AdhocQuery slots (xds/stored-query-request.ts reads those).
 * No I/O here.
 */
import type { AvailabilityStatus, DocumentEntryType } from './metadata';
import type { StoredQueryName } from './stored-query-catalog';

export { QUERY_SPECS, StoredQueryId, querySpecById, type StoredQueryName } from './stored-query-catalog';

export type ReturnType = 'LeafClass' | 'ObjectRef';

/** A coded value to match; without a scheme it matches the code in any scheme. */
export interface CodeMatch {
  code: string;
  scheme?: string;
}

/** From is inclusive, To exclusive; both DTM. */
export interface TimeRange {
  from?: string;
  to?: string;
}

/** Lists are OR-ed; lists of lists are AND-ed groups of OR-ed values. Absent = no constraint. */
export interface DocumentFilter {
  patientIds?: string[];
  statuses?: AvailabilityStatus[];
  /** Always set: defaults to stable DocumentEntries only when the query does not ask. */
  objectTypes: DocumentEntryType[];
  classCodes?: CodeMatch[];
  typeCodes?: CodeMatch[];
  practiceSettingCodes?: CodeMatch[];
  healthcareFacilityTypeCodes?: CodeMatch[];
  formatCodes?: CodeMatch[];
  eventCodes?: CodeMatch[][];
  confidentialityCodes?: CodeMatch[][];
  creationTime?: TimeRange;
  serviceStartTime?: TimeRange;
  serviceStopTime?: TimeRange;
  /** LIKE patterns matched against each author's authorPerson. */
  authorPersons?: string[];
  referenceIds?: string[][];
}

export interface SubmissionSetFilter {
  patientIds?: string[];
  statuses?: AvailabilityStatus[];
  sourceIds?: string[];
  submissionTime?: TimeRange;
  authorPersons?: string[];
  contentTypeCodes?: CodeMatch[];
}

export interface FolderFilter {
  patientIds?: string[];
  statuses?: AvailabilityStatus[];
  lastUpdateTime?: TimeRange;
  codes?: CodeMatch[][];
}

/** Objects named by one kind of identifier. */
export interface IdSelector {
  by: 'entryUuid' | 'uniqueId' | 'logicalId';
  values: string[];
}

interface QueryCommon {
  queryId: string;
  returnType: ReturnType;
  homeCommunityId?: string;
  /** Metadata Update $MetadataLevel: 1 (default) hides superseded versions in id lookups. */
  metadataLevel: 1 | 2;
}

export type StoredQuery = QueryCommon &
  (
    | { name: 'FindDocuments' | 'FindDocumentsByReferenceId' | 'FindDocumentsForMultiplePatients'; documents: DocumentFilter }
    | { name: 'FindSubmissionSets'; submissionSets: SubmissionSetFilter }
    | { name: 'FindFolders' | 'FindFoldersForMultiplePatients'; folders: FolderFilter }
    | { name: 'GetAll'; documents: DocumentFilter; submissionSets: SubmissionSetFilter; folders: FolderFilter }
    | { name: 'GetDocuments' | 'GetDocumentsAndAssociations'; documentIds: IdSelector }
    | { name: 'GetFolders'; folderIds: IdSelector }
    | { name: 'GetAssociations' | 'GetSubmissionSets'; uuids: string[] }
    | { name: 'GetSubmissionSetAndContents'; submissionSetId: IdSelector; documents: DocumentFilter }
    | { name: 'GetFolderAndContents'; folderId: IdSelector; documents: DocumentFilter }
    | { name: 'GetFoldersForDocument'; documentId: IdSelector }
    | { name: 'GetRelatedDocuments'; documentId: IdSelector; associationTypes: string[]; documents: DocumentFilter }
  );

/** The query type of one query name (also for names that share a shape, e.g. FindDocumentsByReferenceId). */
export type StoredQueryOf<N extends StoredQueryName> = StoredQuery extends infer Q
  ? Q extends { name: infer M }
    ? N extends M
      ? Q & { name: N }
      : never
    : never
  : never;

