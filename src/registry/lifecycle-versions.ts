/**
 * Reading and locking the latest version of a DocumentEntry or Folder.
 *
 * Updates of one logical object serialise on row locks of all its versions. The latest
 * version is read by a statement issued after the lock is held, so under READ COMMITTED it
 * sees a version that a concurrent update committed while we waited: the loser of a race
 * then fails the PreviousVersion check instead of creating a second "next" version.
 */
import type { DocumentEntry, Folder } from '../domain/metadata';
import type { SqlExecutor } from '../store/sql/database';
import { fromRow, TABLE_OF_KIND, type ShortStatus } from '../store/sql/registry-rows';
import type { ObjectRef, VersionedKind } from './lifecycle-types';

export interface VersionRow {
  kind: VersionedKind;
  entryUuid: string;
  logicalId: string;
  version: number;
  /** Canonical CX as stored in the patient_id column. */
  patientId: string;
  status: ShortStatus;
  object: DocumentEntry | Folder;
}

export interface LockedObject {
  /** The entryUUID the reference named, when it named one version rather than the logical object. */
  named?: string;
  latest: VersionRow;
}

interface Row {
  entry_uuid: string;
  logical_id: string;
  version: number;
  patient_id: string;
  status: ShortStatus;
  metadata: unknown;
}

/** Locks every version of the referenced object and returns its latest version; undefined when no such object exists. */
export async function lockLatestVersion(tx: SqlExecutor, ref: ObjectRef, kinds: readonly VersionedKind[]): Promise<LockedObject | undefined> {
  const byEntry = 'entryUuid' in ref;
  const key = (byEntry ? ref.entryUuid : ref.logicalId).toLowerCase();
  for (const kind of kinds) {
    const table = TABLE_OF_KIND[kind];
    const hit = await tx.query<{ logical_id: string }>(
      `SELECT logical_id FROM ${table} WHERE ${byEntry ? 'entry_uuid' : 'logical_id'} = $1 LIMIT 1`,
      [key],
    );
    const logicalId = hit.rows[0]?.logical_id;
    if (logicalId === undefined) continue;
    await tx.query(`SELECT 1 FROM ${table} WHERE logical_id = $1 FOR UPDATE`, [logicalId]);
    const r = await tx.query<Row>(
      `SELECT entry_uuid, logical_id, version, patient_id, status, metadata FROM ${table}
        WHERE logical_id = $1 ORDER BY version DESC LIMIT 1`,
      [logicalId],
    );
    const row = r.rows[0]!;
    const latest: VersionRow = {
      kind,
      entryUuid: row.entry_uuid,
      logicalId: row.logical_id,
      version: Number(row.version),
      patientId: row.patient_id,
      status: row.status,
      object: fromRow<DocumentEntry | Folder>(row),
    };
    return byEntry ? { named: key, latest } : { latest };
  }
  return undefined;
}

/** Sets the status column, which is what queries read (fromRow applies it over the stored metadata). */
export async function setVersionStatus(tx: SqlExecutor, kind: VersionedKind, entryUuid: string, status: ShortStatus): Promise<void> {
  await tx.query(`UPDATE ${TABLE_OF_KIND[kind]} SET status = $2 WHERE entry_uuid = $1`, [entryUuid, status]);
}
