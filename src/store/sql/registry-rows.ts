/**
 * Mapping between domain registry objects and their table rows. The JSONB `metadata`
 * column holds the whole object; the other columns are derived from it for queries.
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
import type { SqlExecutor } from './database';

export type ShortStatus = 'Approved' | 'Deprecated' | 'Submitted';

export function shortStatus(s: AvailabilityStatus | undefined): ShortStatus {
  if (!s) return 'Approved';
  return s.slice(s.lastIndexOf(':') + 1) as ShortStatus;
}

export function fullStatus(s: string): AvailabilityStatus {
  return `urn:oasis:names:tc:ebxml-regrep:StatusType:${s}` as AvailabilityStatus;
}

/** Accepts either the short or the URN form (ITI-18 parameters use the URN). */
export function toShortStatus(s: string): string {
  return s.startsWith('urn:oasis:names:tc:ebxml-regrep:StatusType:') ? s.slice(s.lastIndexOf(':') + 1) : s;
}

function opt<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}

function authorPersons(authors: { person?: string }[]): string[] {
  return authors.map((a) => a.person).filter((p): p is string => !!p);
}

export async function insertDocumentEntry(tx: SqlExecutor, d: DocumentEntry): Promise<void> {
  await tx.query(
    `INSERT INTO document_entries (entry_uuid, logical_id, version, unique_id, patient_id, status, object_type,
       class_code, type_code, format_code, facility_type_code, practice_setting_code, confidentiality_codes,
       event_codes, author_persons, reference_ids, creation_time, service_start_time, service_stop_time,
       repository_unique_id, hash, size, home_community_id, metadata)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24)`,
    [
      d.entryUuid,
      d.logicalId ?? d.entryUuid,
      d.version ?? 1,
      d.uniqueId,
      d.patientId,
      shortStatus(d.availabilityStatus),
      d.objectType === DocumentEntryType.OnDemand ? 'on-demand' : 'stable',
      d.classCode ? codeKey(d.classCode) : null,
      d.typeCode ? codeKey(d.typeCode) : null,
      d.formatCode ? codeKey(d.formatCode) : null,
      d.healthcareFacilityTypeCode ? codeKey(d.healthcareFacilityTypeCode) : null,
      d.practiceSettingCode ? codeKey(d.practiceSettingCode) : null,
      d.confidentialityCodes.map(codeKey),
      d.eventCodes.map(codeKey),
      authorPersons(d.authors),
      d.referenceIds,
      opt(d.creationTime),
      opt(d.serviceStartTime),
      opt(d.serviceStopTime),
      opt(d.repositoryUniqueId),
      opt(d.hash),
      opt(d.size),
      opt(d.homeCommunityId),
      JSON.stringify(d),
    ],
  );
}

export async function insertSubmissionSet(tx: SqlExecutor, s: SubmissionSet): Promise<void> {
  await tx.query(
    `INSERT INTO submission_sets (entry_uuid, unique_id, patient_id, status, source_id, submission_time,
       content_type_code, author_persons, intended_recipients, home_community_id, metadata)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
    [
      s.entryUuid,
      s.uniqueId,
      s.patientId,
      shortStatus(s.availabilityStatus),
      s.sourceId,
      s.submissionTime,
      s.contentTypeCode ? codeKey(s.contentTypeCode) : null,
      authorPersons(s.authors),
      s.intendedRecipients,
      opt(s.homeCommunityId),
      JSON.stringify(s),
    ],
  );
}

export async function insertFolder(tx: SqlExecutor, f: Folder): Promise<void> {
  await tx.query(
    `INSERT INTO folders (entry_uuid, logical_id, version, unique_id, patient_id, status, codes, last_update_time,
       home_community_id, metadata)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      f.entryUuid,
      f.logicalId ?? f.entryUuid,
      f.version ?? 1,
      f.uniqueId,
      f.patientId,
      shortStatus(f.availabilityStatus),
      f.codes.map(codeKey),
      opt(f.lastUpdateTime),
      opt(f.homeCommunityId),
      JSON.stringify(f),
    ],
  );
}

export async function insertAssociation(tx: SqlExecutor, a: Association): Promise<void> {
  await tx.query(
    `INSERT INTO associations (entry_uuid, type, source_id, target_id, status, metadata) VALUES ($1,$2,$3,$4,$5,$6)`,
    [a.entryUuid, a.type, a.sourceId, a.targetId, shortStatus(a.availabilityStatus), JSON.stringify(a)],
  );
}

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
