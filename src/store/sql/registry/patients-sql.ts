/** The patients table: the patient identity feed (registry/patient-feed.ts). */
import type { SqlExecutor } from '../database';

type Row = { patient_id: string; active: boolean; resource: unknown };

function toPatient(row: Row | undefined) {
  return row ? { patientId: row.patient_id, active: row.active, resource: row.resource } : undefined;
}

export async function upsertPatient(db: SqlExecutor, p: { patientId: string; authority: string; localId: string; resource?: unknown }): Promise<{ created: boolean }> {
  const r = await db.query<{ created: boolean }>(
    `INSERT INTO patients (patient_id, authority, local_id, active, resource) VALUES ($1, $2, $3, true, $4)
     ON CONFLICT (patient_id) DO UPDATE SET active = true, resource = COALESCE(EXCLUDED.resource, patients.resource), updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [p.patientId, p.authority, p.localId, p.resource === undefined ? null : JSON.stringify(p.resource)],
  );
  return { created: r.rows[0]?.created === true };
}

export async function getPatient(db: SqlExecutor, patientId: string): Promise<ReturnType<typeof toPatient>> {
  const r = await db.query<Row>('SELECT patient_id, active, resource FROM patients WHERE patient_id = $1', [patientId]);
  return toPatient(r.rows[0]);
}

/**
 * Reads the authority's rows, which is fine for the rare values that need it (identifier
 * values that are no FHIR id); an expression index would serve more.
 */
export async function getPatientByValueDigest(db: SqlExecutor, authority: string, digest: string): Promise<ReturnType<typeof toPatient>> {
  const r = await db.query<Row>(
    `SELECT patient_id, active, resource FROM patients
     WHERE authority = $1 AND left(encode(sha256(convert_to(local_id, 'UTF8')), 'hex'), $3) = $2 LIMIT 1`,
    [authority, digest, digest.length],
  );
  return toPatient(r.rows[0]);
}
