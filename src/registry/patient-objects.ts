/**
 * Which registry objects belong to one patient, for a caller bound to that patient (ITI-62):
 * DocumentEntries, Folders and SubmissionSets by their patient, Associations by the patient of
 * the objects they link (an association carries none of its own; ebRIM links objects of one
 * patient only).
 */
import type { SqlExecutor } from '../store/sql/database';
import { TABLE_OF_KIND } from '../store/sql/registry-rows';

const PATIENT_TABLES = [TABLE_OF_KIND.DocumentEntry, TABLE_OF_KIND.Folder, TABLE_OF_KIND.SubmissionSet];

const OWN_OBJECTS = PATIENT_TABLES.map((t) => `SELECT entry_uuid FROM ${t} WHERE entry_uuid = ANY($1::text[]) AND patient_id = $2`).join(' UNION ALL ');
const LINKED_OBJECT = PATIENT_TABLES.map((t) => `SELECT 1 FROM ${t} o WHERE o.entry_uuid IN (a.source_id, a.target_id) AND o.patient_id = $2`).join(' UNION ALL ');
const OWN_ASSOCIATIONS = `SELECT a.entry_uuid FROM ${TABLE_OF_KIND.Association} a WHERE a.entry_uuid = ANY($1::text[]) AND EXISTS (${LINKED_OBJECT})`;

/** The entryUUIDs among `ids` of objects of `patientId`. */
export async function objectsOfPatient(tx: SqlExecutor, ids: readonly string[], patientId: string): Promise<Set<string>> {
  const r = await tx.query<{ entry_uuid: string }>(`${OWN_OBJECTS} UNION ALL ${OWN_ASSOCIATIONS}`, [[...ids], patientId]);
  return new Set(r.rows.map((row) => row.entry_uuid));
}
