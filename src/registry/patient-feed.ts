/**
 * Patient identity feed: the registry accepts submissions only for patients it knows
 * (XDSUnknownPatientId otherwise). ITI-104 (FHIR) feeds it; PATIENT_CHECK=any accepts
 * every well-formed ID of an accepted assigning authority instead.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { formatCx, parseCx } from '../domain/hl7v2';
import { RegistryError } from '../domain/registry-error';
import type { SqlExecutor } from '../store/sql/database';

export interface PatientPolicy {
  check: 'registered' | 'any';
  acceptedAuthorities: readonly string[];
}

/** Normalises a CX and checks its assigning authority; throws XDSUnknownPatientId otherwise. */
export function acceptedPatientCx(value: string, policy: PatientPolicy): string {
  const cx = parseCx(value);
  if (!cx) throw RegistryError.of(XdsErrorCode.XDSRegistryMetadataError, `patientId "${value}" is not a CX id^^^&OID&ISO`, value);
  if (!policy.acceptedAuthorities.includes(cx.authority)) {
    throw RegistryError.of(XdsErrorCode.XDSUnknownPatientId, `assigning authority ${cx.authority} is not one of the affinity domain's`, value);
  }
  return formatCx(cx);
}

/** The feed check on the result of a lookup (the caller reads the patients table with its other lookups). */
export function assertPatientKnown(patientId: string, known: boolean, policy: PatientPolicy): void {
  acceptedPatientCx(patientId, policy);
  if (policy.check === 'registered' && !known) {
    throw RegistryError.of(XdsErrorCode.XDSUnknownPatientId, `patient ${patientId} is not known to the registry`, patientId);
  }
}

/** Registers or updates a patient (idempotent); returns whether it was new. */
export async function upsertPatient(db: SqlExecutor, patientId: string, policy: PatientPolicy, resource?: unknown): Promise<{ created: boolean }> {
  const cx = acceptedPatientCx(patientId, policy);
  const parsed = parseCx(cx)!;
  const r = await db.query<{ created: boolean }>(
    `INSERT INTO patients (patient_id, authority, local_id, active, resource) VALUES ($1, $2, $3, true, $4)
     ON CONFLICT (patient_id) DO UPDATE SET active = true, resource = COALESCE(EXCLUDED.resource, patients.resource), updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [cx, parsed.authority, parsed.id, resource === undefined ? null : JSON.stringify(resource)],
  );
  return { created: r.rows[0]?.created === true };
}

export interface PatientRow {
  patientId: string;
  active: boolean;
  resource: unknown;
}

type Row = { patient_id: string; active: boolean; resource: unknown };

function toPatient(row: Row | undefined): PatientRow | undefined {
  return row ? { patientId: row.patient_id, active: row.active, resource: row.resource } : undefined;
}

export async function getPatient(db: SqlExecutor, patientId: string): Promise<PatientRow | undefined> {
  const r = await db.query<Row>('SELECT patient_id, active, resource FROM patients WHERE patient_id = $1', [patientId]);
  return toPatient(r.rows[0]);
}

/**
 * The patient of an authority whose local id has this digest (domain/patient-resource-id.ts:
 * the FHIR id of a patient whose identifier value is no FHIR id). Reads the authority's rows,
 * which is fine for the rare values that need it; an expression index would serve more.
 */
export async function getPatientByValueDigest(db: SqlExecutor, authority: string, digest: string): Promise<PatientRow | undefined> {
  const r = await db.query<Row>(
    `SELECT patient_id, active, resource FROM patients
     WHERE authority = $1 AND left(encode(sha256(convert_to(local_id, 'UTF8')), 'hex'), $3) = $2 LIMIT 1`,
    [authority, digest, digest.length],
  );
  return toPatient(r.rows[0]);
}
