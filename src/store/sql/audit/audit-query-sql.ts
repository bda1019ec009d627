/**
 * ITI-81 Retrieve ATNA Audit Event on audit_events: the criteria of one search as SQL.
 * The time range is required by ITI-81 and always bounds `recorded`, so the recorded /
 * (patient_id, recorded) / (type_code, recorded) indexes and the subtypes GIN index carry
 * the search; criteria on other elements of the event look into the JSONB of the rows that
 * range leaves.
 *
 * A patient-context principal's scope is a `patient_id =` condition in the same WHERE,
 * so no event about another patient is ever read, counted or paged over.
 */
import type { AuditQuery, AuditQueryResult, Groups } from '../../../audit/audit-query';
import type { AuditEvent } from '../../../audit/fhir-audit-event';
import type { SqlExecutor } from '../database';

/** SQL text of a JSON token (Coding) matching a text[] parameter either as `code` or as `system|code`. */
const codingMatches = (coding: string, p: string) =>
  `(${coding}->>'code' = ANY(${p}) OR concat(${coding}->>'system', '|', ${coding}->>'code') = ANY(${p}))`;
/** A Reference matching by its reference or its identifier's value (or `system|value`). */
const referenceMatches = (ref: string, p: string) =>
  `(${ref}->>'reference' = ANY(${p}) OR ${ref}->'identifier'->>'value' = ANY(${p}) OR concat(${ref}->'identifier'->>'system', '|', ${ref}->'identifier'->>'value') = ANY(${p}))`;
const anyAgent = (cond: string) => `EXISTS (SELECT 1 FROM jsonb_array_elements(resource->'agent') a WHERE ${cond})`;
const anyEntity = (cond: string) => `EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(resource->'entity', '[]'::jsonb)) e WHERE ${cond})`;

/** Each criterion: the SQL condition on one group's values ($p: a text[] parameter). */
const CONDITIONS: Record<string, (p: string) => string> = {
  ids: (p) => `id = ANY(${p})`,
  patient: (p) => `patient_id = ANY(${p})`,
  // type_code and dicom_type are `system|code`: a bare code compares with what follows the bar. A
  // BALP event (type rest) is also found by the DICOM event ID its syslog copy carries (dicom-event.ts);
  // events recorded before migration 007 have none, their type being their DICOM event ID.
  type: (p) =>
    `(type_code = ANY(${p}) OR split_part(type_code, '|', 2) = ANY(${p}) OR dicom_type = ANY(${p}) OR split_part(dicom_type, '|', 2) = ANY(${p}))`,
  // subtypes holds every subtype both as `code` and as `system|code` (GIN overlap).
  subtype: (p) => `subtypes && ${p}`,
  outcome: (p) => `outcome = ANY(${p})`,
  entityType: (p) => anyEntity(codingMatches(`e->'type'`, p)),
  entityRole: (p) => anyEntity(codingMatches(`e->'role'`, p)),
  agent: (p) => anyAgent(referenceMatches(`a->'who'`, p)),
  entity: (p) => anyEntity(referenceMatches(`e->'what'`, p)),
  source: (p) => referenceMatches(`resource->'source'->'observer'`, p),
  address: (p) => anyAgent(`a->'network'->>'address' = ANY(${p})`),
  altid: (p) => anyAgent(`a->>'altId' = ANY(${p})`),
};

function whereClause(q: AuditQuery): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const conditions: string[] = [];
  if (q.from !== undefined) conditions.push(`recorded >= ${param(q.from)}::timestamptz`);
  if (q.to !== undefined) conditions.push(`recorded < ${param(q.to)}::timestamptz`);
  if (q.scopePatientId !== undefined) conditions.push(`patient_id = ${param(q.scopePatientId)}`);
  for (const [key, condition] of Object.entries(CONDITIONS)) {
    for (const group of (q as unknown as Record<string, Groups | undefined>)[key] ?? []) conditions.push(condition(`${param([...group])}::text[]`));
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values };
}

/** One page of matching events, newest first, and how many match in all. */
export async function queryAuditEvents(db: SqlExecutor, q: AuditQuery): Promise<AuditQueryResult> {
  const where = whereClause(q);
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events ${where.sql}`, where.values);
  const n = where.values.length;
  const page = await db.query<{ resource: AuditEvent }>(
    `SELECT resource FROM audit_events ${where.sql} ORDER BY recorded DESC, id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...where.values, q.count, q.offset],
  );
  return { total: total.rows[0]?.n ?? 0, events: page.rows.map((r) => r.resource) };
}
