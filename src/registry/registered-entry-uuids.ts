/**
 * Why a unique index refused a submission twice (see submitToRegistry): a uniqueId that a
 * concurrent submission registered is answered by the lookup of the retry, so what is left is
 * an entryUUID of this submission that the registry already holds. That is the sender's
 * mistake, not a race, and the answer names the object and its entryUUID.
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { entryIdsOf, type Submission } from '../domain/submission';
import type { SqlExecutor } from '../store/sql/database';
import { FRESH_PLAN } from './references';

const TABLES = [
  ['DocumentEntry', 'document_entries'],
  ['Folder', 'folders'],
  ['SubmissionSet', 'submission_sets'],
  ['Association', 'associations'],
] as const;

/** One error per entryUUID of `s` that is already registered; empty when there is none. */
export async function reusedEntryUuids(db: SqlExecutor, s: Submission): Promise<RegistryErrorDetail[]> {
  const text = TABLES.map(([kind, table]) => `SELECT '${kind}' AS kind, entry_uuid FROM ${table} WHERE entry_uuid = ANY($1::text[])`).join(' UNION ALL ');
  const r = await db.query<{ kind: string; entry_uuid: string }>(text, [[...entryIdsOf(s)]], FRESH_PLAN);
  return r.rows.map((row) => ({
    code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry,
    severity: 'Error',
    context: `entryUUID ${row.entry_uuid} is already registered (as a ${row.kind}); a new object needs a new entryUUID`,
    location: row.entry_uuid,
  }));
}
