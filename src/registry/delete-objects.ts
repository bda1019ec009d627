/**
 * Delete Document Set / Remove Metadata (ITI-62): registry objects named by entryUUID are
 * removed together or not at all. Only registry rows go; the repository's copy of a document
 * is a separate request (ITI-86).
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AssociationType, type ObjectKind } from '../domain/metadata';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import type { Database, SqlExecutor } from '../store/sql/database';
import { TABLE_OF_KIND } from '../store/sql/registry-rows';
import { asRegistryError } from './lifecycle-errors';
import type { DeletedObject, DeleteResult, LifecycleCall } from './lifecycle-types';
import { objectsOfPatient } from './patient-objects';
import { touchFolders } from './relationships';
import { dtmNow } from './submit';

/** What each table contributes to a DeletedObject; the rows are locked so no update races the delete. */
const LOCK_QUERIES: Record<ObjectKind, string> = {
  DocumentEntry: `SELECT entry_uuid, patient_id, logical_id, version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.DocumentEntry}`,
  Folder: `SELECT entry_uuid, patient_id, logical_id, version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.Folder}`,
  SubmissionSet: `SELECT entry_uuid, patient_id, NULL AS logical_id, NULL AS version, NULL AS source_id, NULL AS type FROM ${TABLE_OF_KIND.SubmissionSet}`,
  Association: `SELECT entry_uuid, NULL AS patient_id, NULL AS logical_id, NULL AS version, source_id, type FROM ${TABLE_OF_KIND.Association}`,
};

interface LockedRow {
  entry_uuid: string;
  patient_id: string | null;
  logical_id: string | null;
  version: number | null;
  source_id: string | null;
  type: string | null;
}

interface Found extends DeletedObject {
  /** Associations only: source and type, to find folders that lose a member. */
  sourceId?: string;
  type?: string;
}

async function lockNamed(tx: SqlExecutor, ids: string[]): Promise<Found[]> {
  const found: Found[] = [];
  for (const kind of Object.keys(LOCK_QUERIES) as ObjectKind[]) {
    const r = await tx.query<LockedRow>(`${LOCK_QUERIES[kind]} WHERE entry_uuid = ANY($1::text[]) FOR UPDATE`, [ids]);
    for (const row of r.rows) {
      found.push({
        kind,
        entryUuid: row.entry_uuid,
        ...(row.patient_id !== null ? { patientId: row.patient_id } : {}),
        ...(row.logical_id !== null ? { logicalId: row.logical_id, version: Number(row.version) } : {}),
        ...(row.source_id !== null ? { sourceId: row.source_id, type: row.type ?? '' } : {}),
      });
    }
  }
  return found;
}

/** Associations outside the request that still point at an object of it: deleting would leave them dangling. */
async function remainingReferences(tx: SqlExecutor, ids: string[]): Promise<RegistryErrorDetail[]> {
  const r = await tx.query<{ entry_uuid: string; source_id: string; target_id: string }>(
    `SELECT entry_uuid, source_id, target_id FROM associations
      WHERE (source_id = ANY($1::text[]) OR target_id = ANY($1::text[])) AND NOT (entry_uuid = ANY($1::text[]))
      ORDER BY seq`,
    [ids],
  );
  const named = new Set(ids);
  return r.rows.map((a) => {
    const object = named.has(a.source_id) ? a.source_id : a.target_id;
    return {
      code: XdsErrorCode.ReferencesExistException,
      severity: 'Error',
      context: `${object} is still referenced by association ${a.entry_uuid}, which the request does not delete`,
      location: object,
    };
  });
}

export interface DeleteOptions {
  now?: () => string;
  /**
   * The patient a caller is bound to: objects of other patients are answered exactly like
   * unregistered ones, so the caller learns nothing of them.
   */
  patientScope?: string;
}

/** The named objects the caller may delete, locked. */
async function lockVisible(tx: SqlExecutor, ids: string[], patientScope: string | undefined): Promise<Found[]> {
  const found = await lockNamed(tx, ids);
  if (patientScope === undefined) return found;
  const own = await objectsOfPatient(tx, ids, patientScope);
  return found.filter((f) => own.has(f.entryUuid));
}

export async function deleteObjects(
  db: Database,
  entryUuids: readonly string[],
  options: DeleteOptions = {},
  call: LifecycleCall<DeleteResult> = {},
): Promise<DeleteResult> {
  const ids = [...new Set(entryUuids.map((id) => id.toLowerCase()))];
  try {
    return await db.transaction(async (tx) => {
      const found = await lockVisible(tx, ids, options.patientScope);
      const known = new Set(found.map((f) => f.entryUuid));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new RegistryError(
          unknown.map((id) => ({ code: XdsErrorCode.UnresolvedReferenceException, severity: 'Error', context: `${id} is not a registered object`, location: id })),
        );
      }
      const references = await remainingReferences(tx, ids);
      if (references.length > 0) throw new RegistryError(references);

      for (const kind of Object.keys(TABLE_OF_KIND) as ObjectKind[]) {
        const ofKind = found.filter((f) => f.kind === kind).map((f) => f.entryUuid);
        if (ofKind.length > 0) await tx.query(`DELETE FROM ${TABLE_OF_KIND[kind]} WHERE entry_uuid = ANY($1::text[])`, [ofKind]);
      }
      // Folders that stay but lose a member have changed content (touchFolders ignores sources that are SubmissionSets).
      const shrunk = found.filter((f) => f.type === AssociationType.HasMember && f.sourceId && !known.has(f.sourceId)).map((f) => f.sourceId!);
      await touchFolders(tx, [...new Set(shrunk)], (options.now ?? dtmNow)());

      const result: DeleteResult = { deleted: found.map(({ sourceId: _s, type: _t, ...deleted }) => deleted) };
      await call.withinTransaction?.(tx, result);
      return result;
    });
  } catch (err) {
    throw asRegistryError(err);
  }
}
