/**
 * Mapping between domain registry objects and their table rows. The JSONB `metadata`
 * column holds the whole object; the other columns are derived from it for queries.
 * All objects of a submission are written by one statement (see table-rows.ts).
 */
import { codeKey } from '../../domain/codes';
import {
  AvailabilityStatus,
  DocumentEntryType,
  type Association,
  type DocumentEntry,
  type Folder,
  type SubmissionSet,
} from '../../domain/metadata';
import { shortStatus } from '../../domain/short-status';
import type { SqlExecutor } from './database';
import { insertTables, type StatementPart, type TableRows } from './table-rows';


function fullStatus(s: string): AvailabilityStatus {
  return `urn:oasis:names:tc:ebxml-regrep:StatusType:${s}` as AvailabilityStatus;
}

/** Accepts either the short or the URN form (ITI-18 parameters use the URN). */
export function toShortStatus(s: string): string {
  return s.startsWith('urn:oasis:names:tc:ebxml-regrep:StatusType:') ? s.slice(s.lastIndexOf(':') + 1) : s;
}

type Row = Record<string, unknown>;

function authorPersons(authors: { person?: string }[]): string[] {
  return authors.map((a) => a.person).filter((p): p is string => !!p);
}

/** Column name -> SQL type, per table, in insert order. */
const COLUMNS = {
  submission_sets: {
    entry_uuid: 'text', unique_id: 'text', patient_id: 'text', status: 'text', source_id: 'text', submission_time: 'text',
    content_type_code: 'text', author_persons: 'text[]', intended_recipients: 'text[]', home_community_id: 'text', metadata: 'jsonb',
  },
  document_entries: {
    entry_uuid: 'text', logical_id: 'text', version: 'integer', unique_id: 'text', patient_id: 'text', status: 'text', object_type: 'text',
    class_code: 'text', type_code: 'text', format_code: 'text', facility_type_code: 'text', practice_setting_code: 'text',
    confidentiality_codes: 'text[]', event_codes: 'text[]', author_persons: 'text[]', reference_ids: 'text[]', creation_time: 'text',
    service_start_time: 'text', service_stop_time: 'text', repository_unique_id: 'text', hash: 'text', size: 'bigint',
    home_community_id: 'text', metadata: 'jsonb', reregistration: 'boolean',
  },
  folders: {
    entry_uuid: 'text', logical_id: 'text', version: 'integer', unique_id: 'text', patient_id: 'text', status: 'text', codes: 'text[]',
    last_update_time: 'text', home_community_id: 'text', metadata: 'jsonb',
  },
  associations: { entry_uuid: 'text', type: 'text', source_id: 'text', target_id: 'text', status: 'text', metadata: 'jsonb' },
} as const;


function submissionSetRow(s: SubmissionSet): Row {
  return {
    entry_uuid: s.entryUuid, unique_id: s.uniqueId, patient_id: s.patientId, status: shortStatus(s.availabilityStatus),
    source_id: s.sourceId, submission_time: s.submissionTime, content_type_code: s.contentTypeCode ? codeKey(s.contentTypeCode) : null,
    author_persons: authorPersons(s.authors), intended_recipients: s.intendedRecipients, home_community_id: s.homeCommunityId ?? null, metadata: s,
  };
}

/** `reregistration`: the document's uniqueId was already registered (see migration 006). */
function documentEntryRow(d: DocumentEntry, reregistration = false): Row {
  return {
    entry_uuid: d.entryUuid, logical_id: d.logicalId ?? d.entryUuid, version: d.version ?? 1, unique_id: d.uniqueId, patient_id: d.patientId,
    status: shortStatus(d.availabilityStatus), object_type: d.objectType === DocumentEntryType.OnDemand ? 'on-demand' : 'stable',
    class_code: d.classCode ? codeKey(d.classCode) : null, type_code: d.typeCode ? codeKey(d.typeCode) : null,
    format_code: d.formatCode ? codeKey(d.formatCode) : null,
    facility_type_code: d.healthcareFacilityTypeCode ? codeKey(d.healthcareFacilityTypeCode) : null,
    practice_setting_code: d.practiceSettingCode ? codeKey(d.practiceSettingCode) : null,
    confidentiality_codes: d.confidentialityCodes.map(codeKey), event_codes: d.eventCodes.map(codeKey), author_persons: authorPersons(d.authors),
    reference_ids: d.referenceIds, creation_time: d.creationTime ?? null, service_start_time: d.serviceStartTime ?? null,
    service_stop_time: d.serviceStopTime ?? null, repository_unique_id: d.repositoryUniqueId ?? null, hash: d.hash ?? null, size: d.size ?? null,
    home_community_id: d.homeCommunityId ?? null, metadata: d, reregistration,
  };
}

function folderRow(f: Folder): Row {
  return {
    entry_uuid: f.entryUuid, logical_id: f.logicalId ?? f.entryUuid, version: f.version ?? 1, unique_id: f.uniqueId, patient_id: f.patientId,
    status: shortStatus(f.availabilityStatus), codes: f.codes.map(codeKey), last_update_time: f.lastUpdateTime ?? null,
    home_community_id: f.homeCommunityId ?? null, metadata: f,
  };
}

function associationRow(a: Association): Row {
  return { entry_uuid: a.entryUuid, type: a.type, source_id: a.sourceId, target_id: a.targetId, status: shortStatus(a.availabilityStatus), metadata: a };
}

export interface RegistryRows {
  submissionSets?: SubmissionSet[];
  documents?: DocumentEntry[];
  folders?: Folder[];
  associations?: Association[];
  /** entryUUIDs of `documents` that register again a uniqueId the registry already holds. */
  reregistered?: ReadonlySet<string>;
}

/** The registry objects as rows of their tables, for insertTables. */
function registryTableRows(objects: RegistryRows): TableRows[] {
  return [
    { table: 'submission_sets', columns: COLUMNS.submission_sets, rows: (objects.submissionSets ?? []).map(submissionSetRow) },
    { table: 'document_entries', columns: COLUMNS.document_entries, rows: (objects.documents ?? []).map((d) => documentEntryRow(d, objects.reregistered?.has(d.entryUuid))) },
    { table: 'folders', columns: COLUMNS.folders, rows: (objects.folders ?? []).map(folderRow) },
    { table: 'associations', columns: COLUMNS.associations, rows: (objects.associations ?? []).map(associationRow) },
  ];
}

/** Inserts every object (and any extra rows of other tables) in one statement. */
export async function insertRegistryObjects(db: SqlExecutor, objects: RegistryRows, extra: readonly StatementPart[] = []): Promise<void> {
  await insertTables(db, [...registryTableRows(objects), ...extra]);
}

export const insertDocumentEntry = (tx: SqlExecutor, d: DocumentEntry) => insertRegistryObjects(tx, { documents: [d] });
export const insertSubmissionSet = (tx: SqlExecutor, s: SubmissionSet) => insertRegistryObjects(tx, { submissionSets: [s] });
export const insertFolder = (tx: SqlExecutor, f: Folder) => insertRegistryObjects(tx, { folders: [f] });
export const insertAssociation = (tx: SqlExecutor, a: Association) => insertRegistryObjects(tx, { associations: [a] });

/** A row's object with the status column (the authority after status changes) applied. */
export function fromRow<T extends { availabilityStatus?: AvailabilityStatus }>(row: { metadata: unknown; status: string }): T {
  const obj = (typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata) as T;
  obj.availabilityStatus = fullStatus(row.status);
  return obj;
}

export const TABLE_OF_KIND = {
  DocumentEntry: 'document_entries',
  SubmissionSet: 'submission_sets',
  Folder: 'folders',
  Association: 'associations',
} as const;

export { AvailabilityStatus };
