/** Side effects of registering relationships and folder memberships (ITI TF-3 4.2.2). */
import { AssociationType, AvailabilityStatus } from '../domain/metadata';
import type { SqlExecutor } from '../store/sql/database';
import { insertAssociation } from '../store/sql/registry-rows';
import { newEntryUuid } from './identifiers';
import { FRESH_PLAN } from './references';

/**
 * Deprecates replaced documents. Addenda (APND) and transformations (XFRM) of a replaced
 * document describe the old version, so they are deprecated with it.
 */
export async function deprecateReplaced(tx: SqlExecutor, originals: string[]): Promise<void> {
  if (originals.length === 0) return;
  await tx.query(
    `UPDATE document_entries SET status = 'Deprecated'
      WHERE status = 'Approved' AND (entry_uuid = ANY($1::text[]) OR entry_uuid IN (
        SELECT source_id FROM associations WHERE target_id = ANY($1::text[]) AND type = ANY($2::text[])))`,
    [originals, [AssociationType.Append, AssociationType.Transform]],
    FRESH_PLAN,
  );
}

/** A replacement document becomes a member of every approved folder that held the original. */
export async function joinFoldersOf(tx: SqlExecutor, replacements: Array<{ newDocument: string; original: string }>, now: string): Promise<void> {
  for (const { newDocument, original } of replacements) {
    const r = await tx.query<{ folder: string }>(
      `SELECT a.source_id AS folder FROM associations a JOIN folders f ON f.entry_uuid = a.source_id
        WHERE a.target_id = $1 AND a.type = $2 AND f.status = 'Approved'`,
      [original, AssociationType.HasMember],
      FRESH_PLAN,
    );
    for (const { folder } of r.rows) {
      await insertAssociation(tx, {
        entryUuid: newEntryUuid(),
        type: AssociationType.HasMember,
        sourceId: folder,
        targetId: newDocument,
        availabilityStatus: AvailabilityStatus.Approved,
      });
    }
    await touchFolders(tx, r.rows.map((x) => x.folder), now);
  }
}

/** Folders whose membership changed get a new lastUpdateTime. */
export async function touchFolders(tx: SqlExecutor, folders: string[], now: string): Promise<void> {
  if (folders.length === 0) return;
  await tx.query(
    `UPDATE folders SET last_update_time = $2, metadata = jsonb_set(metadata, '{lastUpdateTime}', to_jsonb($2::text))
      WHERE entry_uuid = ANY($1::text[])`,
    [folders, now],
    FRESH_PLAN,
  );
}
