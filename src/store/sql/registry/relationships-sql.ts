/** Reads and writes of relationships and folder memberships (registry/relationships.ts, lifecycle-propagation.ts). */
import { AssociationType } from '../../../domain/metadata';
import type { SqlExecutor } from '../database';
import { FRESH_PLAN } from './references-sql';

export async function deprecateWithDependents(tx: SqlExecutor, originals: string[]): Promise<void> {
  await tx.query(
    `UPDATE document_entries SET status = 'Deprecated'
      WHERE status = 'Approved' AND (entry_uuid = ANY($1::text[]) OR entry_uuid IN (
        SELECT source_id FROM associations WHERE target_id = ANY($1::text[]) AND type = ANY($2::text[])))`,
    [originals, [AssociationType.Append, AssociationType.Transform]],
    FRESH_PLAN,
  );
}

export async function approvedFoldersHolding(tx: SqlExecutor, document: string): Promise<string[]> {
  const r = await tx.query<{ folder: string }>(
    `SELECT a.source_id AS folder FROM associations a JOIN folders f ON f.entry_uuid = a.source_id
      WHERE a.target_id = $1 AND a.type = $2 AND f.status = 'Approved'`,
    [document, AssociationType.HasMember],
    FRESH_PLAN,
  );
  return r.rows.map((row) => row.folder);
}

export async function touchFolders(tx: SqlExecutor, folders: string[], now: string): Promise<void> {
  await tx.query(
    `UPDATE folders SET last_update_time = $2, metadata = jsonb_set(metadata, '{lastUpdateTime}', to_jsonb($2::text))
      WHERE entry_uuid = ANY($1::text[])`,
    [folders, now],
    FRESH_PLAN,
  );
}

export async function folderMembershipsOf(tx: SqlExecutor, document: string): Promise<Array<{ association: string; folder: string }>> {
  const r = await tx.query<{ entry_uuid: string; source_id: string }>(
    `SELECT a.entry_uuid, a.source_id FROM associations a JOIN folders f ON f.entry_uuid = a.source_id
      WHERE a.target_id = $1 AND a.type = $2 ORDER BY a.seq`,
    [document, AssociationType.HasMember],
  );
  return r.rows.map((row) => ({ association: row.entry_uuid, folder: row.source_id }));
}

export async function approvedDocumentsOf(tx: SqlExecutor, folder: string): Promise<string[]> {
  const r = await tx.query<{ document: string }>(
    `SELECT a.target_id AS document FROM associations a JOIN document_entries d ON d.entry_uuid = a.target_id
      WHERE a.source_id = $1 AND a.type = $2 AND a.status = 'Approved' AND d.status = 'Approved' ORDER BY a.seq`,
    [folder, AssociationType.HasMember],
  );
  return r.rows.map((row) => row.document);
}
