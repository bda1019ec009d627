/**
 * Association propagation of a metadata update (ITI-57 default, AssociationPropagation=yes):
 * the new version of a document joins the approved folders that held the previous version;
 * the new version of a folder holds the approved documents the previous version held.
 */
import { AssociationType, AvailabilityStatus } from '../domain/metadata';
import type { SqlExecutor } from '../store/sql/database';
import { insertRegistryObjects } from '../store/sql/registry-rows';
import { newEntryUuid } from './identifiers';
import type { PropagatedMembership, VersionedKind } from './lifecycle-types';
import { joinFoldersOf } from './relationships';

export async function propagateMemberships(
  tx: SqlExecutor,
  kind: VersionedKind,
  previous: string,
  next: string,
  now: string,
): Promise<PropagatedMembership[]> {
  return kind === 'DocumentEntry' ? documentJoinsFolders(tx, previous, next, now) : folderKeepsDocuments(tx, previous, next);
}

async function documentJoinsFolders(tx: SqlExecutor, previous: string, next: string, now: string): Promise<PropagatedMembership[]> {
  // Same rule as a replacement document joining the original's folders (and touching their lastUpdateTime).
  await joinFoldersOf(tx, [{ newDocument: next, original: previous }], now);
  const r = await tx.query<{ entry_uuid: string; source_id: string }>(
    `SELECT a.entry_uuid, a.source_id FROM associations a JOIN folders f ON f.entry_uuid = a.source_id
      WHERE a.target_id = $1 AND a.type = $2 ORDER BY a.seq`,
    [next, AssociationType.HasMember],
  );
  return r.rows.map((row) => ({ association: row.entry_uuid, folder: row.source_id, document: next }));
}

async function folderKeepsDocuments(tx: SqlExecutor, previous: string, next: string): Promise<PropagatedMembership[]> {
  const r = await tx.query<{ document: string }>(
    `SELECT a.target_id AS document FROM associations a JOIN document_entries d ON d.entry_uuid = a.target_id
      WHERE a.source_id = $1 AND a.type = $2 AND a.status = 'Approved' AND d.status = 'Approved' ORDER BY a.seq`,
    [previous, AssociationType.HasMember],
  );
  const memberships = r.rows.map(({ document }) => ({ association: newEntryUuid(), folder: next, document }));
  await insertRegistryObjects(tx, {
    associations: memberships.map((m) => ({
      entryUuid: m.association,
      type: AssociationType.HasMember,
      sourceId: m.folder,
      targetId: m.document,
      availabilityStatus: AvailabilityStatus.Approved,
    })),
  });
  return memberships;
}
