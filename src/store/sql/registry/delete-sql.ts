/** The reads and writes of Delete Document Set (ITI-62, registry/delete-objects.ts). */
import type { ObjectKind } from '../../../domain/metadata';
import type { SqlExecutor } from '../database';
import { TABLE_OF_KIND } from '../registry-rows';

/** What each table contributes to a DeletableObject. */
const LOCK_QUERIES: Record<ObjectKind, string> = {
  DocumentEntry: `SELECT entry_uuid, patient_id, logical_id, version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.DocumentEntry}`,
  Folder: `SELECT entry_uuid, patient_id, logical_id, version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.Folder}`,
  SubmissionSet: `SELECT entry_uuid, patient_id, NULL AS logical_id, NULL AS version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.SubmissionSet}`,
  Association: `SELECT entry_uuid, NULL AS patient_id, NULL AS logical_id, NULL AS version, source_id, type FROM ${TABLE_OF_KIND.Association}`,
};

interface LockedRow {
  entry_uuid: string;
  patient_id: string | null;
  logical_id: string | null;
  version: number | null;
  source_id: string | null;
  type: string | null;
}

/** The rows are locked so no update races the delete. */
export async function lockForDelete(tx: SqlExecutor, ids: string[]) {
  const found: Array<{ kind: ObjectKind; entryUuid: string; patientId?: string; logicalId?: string; version?: number; sourceId?: string; type?: string }> = [];
  for (const kind of Object.keys(LOCK_QUERIES) as ObjectKind[]) {
    const r = await tx.query<LockedRow>(`${LOCK_QUERIES[kind]} WHERE entry_uuid = ANY($1::text[]) FOR UPDATE`, [ids]);
    for (const row of r.rows) {
      found.push({
        kind,
        entryUuid: row.entry_uuid,
        ...(row.patient_id !== null ? { patientId: row.patient_id } : {}),
        ...(row.logical_id !== null ? { logicalId: row.logical_id, version: Number(row.version) } : {}),
        ...(row.source_id !== null ? { sourceId: row.source_id, type: row.type ?? '' } : {}),
      });
    }
  }
  return found;
}

export async function referencesFromOutside(tx: SqlExecutor, ids: string[]): Promise<Array<{ entryUuid: string; sourceId: string; targetId: string }>> {
  const r = await tx.query<{ entry_uuid: string; source_id: string; target_id: string }>(
    `SELECT entry_uuid, source_id, target_id FROM associations
      WHERE (source_id = ANY($1::text[]) OR target_id = ANY($1::text[])) AND NOT (entry_uuid = ANY($1::text[]))
      ORDER BY seq`,
    [ids],
  );
  return r.rows.map((a) => ({ entryUuid: a.entry_uuid, sourceId: a.source_id, targetId: a.target_id }));
}

export async function deleteObjects(tx: SqlExecutor, kind: ObjectKind, ids: string[]): Promise<void> {
  await tx.query(`DELETE FROM ${TABLE_OF_KIND[kind]} WHERE entry_uuid = ANY($1::text[])`, [ids]);
}

/*
 * Which registry objects belong to one patient, for a caller bound to that patient (ITI-62):
 * DocumentEntries, Folders and SubmissionSets by their patient, Associations by the patient of
 * the objects they link (an association carries none of its own; ebRIM links objects of one
 * patient only).
 */
const PATIENT_TABLES = [TABLE_OF_KIND.DocumentEntry, TABLE_OF_KIND.Folder, TABLE_OF_KIND.SubmissionSet];
const OWN_OBJECTS = PATIENT_TABLES.map((t) => `SELECT entry_uuid FROM ${t} WHERE entry_uuid = ANY($1::text[]) AND patient_id = $2`).join(' UNION ALL ');
const LINKED_OBJECT = PATIENT_TABLES.map((t) => `SELECT 1 FROM ${t} o WHERE o.entry_uuid IN (a.source_id, a.target_id) AND o.patient_id = $2`).join(' UNION ALL ');
const OWN_ASSOCIATIONS = `SELECT a.entry_uuid FROM ${TABLE_OF_KIND.Association} a WHERE a.entry_uuid = ANY($1::text[]) AND EXISTS (${LINKED_OBJECT})`;

export async function objectsOfPatient(tx: SqlExecutor, ids: readonly string[], patientId: string): Promise<Set<string>> {
  const r = await tx.query<{ entry_uuid: string }>(`${OWN_OBJECTS} UNION ALL ${OWN_ASSOCIATIONS}`, [[...ids], patientId]);
  return new Set(r.rows.map((row) => row.entry_uuid));
}
