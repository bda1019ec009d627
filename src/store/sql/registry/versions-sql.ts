/**
 * Reading and locking versions of DocumentEntries and Folders (ITI-57).
 *
 * Updates of one logical object serialise on row locks of all its versions. The latest
 * version is read by a statement issued after the lock is held, so under READ COMMITTED it
 * sees a version that a concurrent update committed while we waited: the loser of a race
 * then fails the PreviousVersion check instead of creating a second "next" version.
 */
import type { DocumentEntry, Folder } from '../../../domain/metadata';
import type { ShortStatus } from '../../../domain/short-status';
import type { SqlExecutor } from '../database';
import { fromRow, TABLE_OF_KIND } from '../registry-rows';

type VersionedKind = 'DocumentEntry' | 'Folder';

interface Row {
  entry_uuid: string;
  logical_id: string;
  version: number;
  patient_id: string;
  status: ShortStatus;
  metadata: unknown;
}

export async function lockLatestVersion(tx: SqlExecutor, ref: { entryUuid: string } | { logicalId: string }, kinds: readonly VersionedKind[]) {
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
    const latest = {
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

export async function unversionedKind(tx: SqlExecutor, entryUuid: string): Promise<'SubmissionSet' | 'Association' | undefined> {
  const r = await tx.query<{ kind: 'SubmissionSet' | 'Association' }>(
    `SELECT 'SubmissionSet' AS kind FROM submission_sets WHERE entry_uuid = $1
     UNION ALL SELECT 'Association' FROM associations WHERE entry_uuid = $1`,
    [entryUuid],
  );
  return r.rows[0]?.kind;
}

export async function updatePreconditions(tx: SqlExecutor, patientId: string, submissionSetUniqueId: string): Promise<{ patientKnown: boolean; setTaken: boolean }> {
  const r = await tx.query<{ patient_known: boolean; set_taken: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM patients WHERE patient_id = $1 AND active) AS patient_known,
            EXISTS (SELECT 1 FROM submission_sets WHERE unique_id = $2) AS set_taken`,
    [patientId, submissionSetUniqueId],
  );
  return { patientKnown: r.rows[0]!.patient_known, setTaken: r.rows[0]!.set_taken };
}
