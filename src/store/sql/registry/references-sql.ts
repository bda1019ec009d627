/**
 * The submission path's reads: what a submission refers to, in one round trip, and the locks
 * that keep it from changing until the submission commits (see registry/references.ts).
 */
import { AssociationType, type ObjectKind } from '../../../domain/metadata';
import type { Submission } from '../../../domain/submission';
import type { QueryOptions, SqlExecutor } from '../database';

/** The submission path's lookups run on tables that grow from empty (see QueryOptions). */
export const FRESH_PLAN: QueryOptions = { planEachTime: true };

interface Row {
  role: 'doc' | 'folder' | 'ss' | 'ref' | 'patient';
  kind: ObjectKind;
  unique_id: string | null;
  entry_uuid: string;
  patient_id: string | null;
  status: string;
  hash: string | null;
  /** bigint: a string from pg. */
  size: string | number | null;
}

/**
 * The lookup, one UNION ALL branch per kind of reference, and only the branches the submission
 * needs: a branch with an empty array would still scan its whole table when the plan cached
 * for the statement is a sequential scan (PostgreSQL does not skip `= ANY('{}')`), and plans
 * cached while a fresh registry's tables were tiny are exactly that (measured: 3.2 ms per
 * submission after 15,000 submissions, instead of 0.1 ms). The few SQL texts this builds are
 * each prepared once per connection. Whichever branch comes first names the columns.
 */
function lookupQuery(s: Submission, externalIds: string[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown, type = 'text') => `$${values.push(v)}::${type}`;
  const branches: string[] = [];
  if (s.documents.length > 0) {
    branches.push(`SELECT 'doc' AS role, 'DocumentEntry' AS kind, unique_id, entry_uuid, patient_id, status, hash, size FROM document_entries WHERE unique_id = ANY(${param(s.documents.map((d) => d.uniqueId), 'text[]')})`);
  }
  if (s.folders.length > 0) {
    branches.push(`SELECT 'folder' AS role, 'Folder' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash, NULL AS size FROM folders WHERE unique_id = ANY(${param(s.folders.map((f) => f.uniqueId), 'text[]')})`);
  }
  branches.push(`SELECT 'ss' AS role, 'SubmissionSet' AS kind, unique_id, entry_uuid, patient_id, status, NULL AS hash, NULL AS size FROM submission_sets WHERE unique_id = ${param(s.submissionSet.uniqueId)}`);
  if (externalIds.length > 0) {
    const ids = param(externalIds, 'text[]');
    branches.push(
      `SELECT 'ref', 'DocumentEntry', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM document_entries WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Folder', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM folders WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'SubmissionSet', unique_id, entry_uuid, patient_id, status, NULL, NULL FROM submission_sets WHERE entry_uuid = ANY(${ids})`,
      `SELECT 'ref', 'Association', NULL, entry_uuid, NULL, status, NULL, NULL FROM associations WHERE entry_uuid = ANY(${ids})`,
    );
  }
  branches.push(`SELECT 'patient', NULL, NULL, patient_id, patient_id, 'Approved', NULL, NULL FROM patients WHERE patient_id = ${param(s.submissionSet.patientId)} AND active`);
  return { text: branches.join('\n  UNION ALL\n  '), values };
}

export async function findReferences(tx: SqlExecutor, s: Submission, externalIds: string[]) {
  const lookup = lookupQuery(s, externalIds);
  const r = await tx.query<Row>(lookup.text, lookup.values, FRESH_PLAN);
  return r.rows.map((row) => ({
    role: row.role,
    kind: row.kind,
    uniqueId: row.unique_id,
    entryUuid: row.entry_uuid,
    patientId: row.patient_id,
    status: row.status,
    hash: row.hash,
    size: row.size === null ? null : Number(row.size),
  }));
}

export async function lockSubmissionTargets(tx: SqlExecutor, targets: { replaced: string[]; referenced: string[]; documentUniqueIds: string[] }): Promise<void> {
  if (targets.replaced.length > 0) {
    await tx.query('SELECT entry_uuid FROM document_entries WHERE entry_uuid = ANY($1::text[]) FOR UPDATE', [targets.replaced], FRESH_PLAN);
  }
  if (targets.referenced.length > 0) {
    // A concurrent delete (ITI-62) locks its objects FOR UPDATE before checking references:
    // holding these FOR SHARE makes it wait for this submission and then see our associations.
    await tx.query('SELECT 1 FROM document_entries WHERE entry_uuid = ANY($1::text[]) FOR SHARE', [targets.referenced], FRESH_PLAN);
    await tx.query('SELECT 1 FROM folders WHERE entry_uuid = ANY($1::text[]) FOR SHARE', [targets.referenced], FRESH_PLAN);
  }
  if (targets.documentUniqueIds.length > 0) {
    // Entries our documents re-register may not vanish (ITI-62) before we commit: a different
    // document could then take their uniqueId as its first registration beside ours.
    await tx.query('SELECT 1 FROM document_entries WHERE unique_id = ANY($1::text[]) FOR SHARE', [targets.documentUniqueIds], FRESH_PLAN);
  }
}

export async function membersByUniqueId(tx: SqlExecutor, submissionSet: string, uniqueIds: string[]): Promise<Map<string, string>> {
  const r = await tx.query<{ unique_id: string; entry_uuid: string }>(
    `SELECT d.unique_id, d.entry_uuid FROM associations a JOIN document_entries d ON d.entry_uuid = a.target_id
      WHERE a.source_id = $1 AND a.type = $2 AND d.unique_id = ANY($3::text[])`,
    [submissionSet, AssociationType.HasMember, uniqueIds],
    FRESH_PLAN,
  );
  return new Map(r.rows.map((row) => [row.unique_id, row.entry_uuid]));
}

const TABLES = [
  ['DocumentEntry', 'document_entries'],
  ['Folder', 'folders'],
  ['SubmissionSet', 'submission_sets'],
  ['Association', 'associations'],
] as const;

export async function registeredEntryUuids(tx: SqlExecutor, ids: string[]): Promise<Array<{ kind: ObjectKind; entryUuid: string }>> {
  const text = TABLES.map(([kind, table]) => `SELECT '${kind}' AS kind, entry_uuid FROM ${table} WHERE entry_uuid = ANY($1::text[])`).join(' UNION ALL ');
  const r = await tx.query<{ kind: ObjectKind; entry_uuid: string }>(text, [ids], FRESH_PLAN);
  return r.rows.map((row) => ({ kind: row.kind, entryUuid: row.entry_uuid }));
}
