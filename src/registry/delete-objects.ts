/**
 * Delete Document Set / Remove Metadata (ITI-62): registry objects named by entryUUID are
 * removed together or not at all. Only registry rows go; the repository's copy of a document
 * is a separate request (ITI-86).
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AssociationType, type ObjectKind } from '../domain/metadata';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { asRegistryError } from './lifecycle-errors';
import type { DeleteResult, LifecycleCall } from './lifecycle-types';
import type { DeletableObject, RegistrySession, RegistryStore } from './ports';
import { touchFolders } from './relationships';
import { dtmNow } from './submit';

/** Associations outside the request that still point at an object of it: deleting would leave them dangling. */
async function remainingReferences(tx: RegistrySession, ids: string[]): Promise<RegistryErrorDetail[]> {
  const named = new Set(ids);
  return (await tx.referencesFromOutside(ids)).map((a) => {
    const object = named.has(a.sourceId) ? a.sourceId : a.targetId;
    return {
      code: XdsErrorCode.ReferencesExistException,
      severity: 'Error',
      context: `${object} is still referenced by association ${a.entryUuid}, which the request does not delete`,
      location: object,
    };
  });
}

/** The order of the deletes, one statement per kind. */
const DELETE_ORDER: readonly ObjectKind[] = ['DocumentEntry', 'SubmissionSet', 'Folder', 'Association'];

export interface DeleteOptions {
  now?: () => string;
  /**
   * The patient a caller is bound to: objects of other patients are answered exactly like
   * unregistered ones, so the caller learns nothing of them.
   */
  patientScope?: string;
}

/** The named objects the caller may delete, locked. */
async function lockVisible(tx: RegistrySession, ids: string[], patientScope: string | undefined): Promise<DeletableObject[]> {
  const found = await tx.lockForDelete(ids);
  if (patientScope === undefined) return found;
  const own = await tx.objectsOfPatient(ids, patientScope);
  return found.filter((f) => own.has(f.entryUuid));
}

export async function deleteObjects(
  store: RegistryStore,
  entryUuids: readonly string[],
  options: DeleteOptions = {},
  call: LifecycleCall<DeleteResult> = {},
): Promise<DeleteResult> {
  const ids = [...new Set(entryUuids.map((id) => id.toLowerCase()))];
  try {
    return await store.transaction(async (tx) => {
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

      for (const kind of DELETE_ORDER) {
        const ofKind = found.filter((f) => f.kind === kind).map((f) => f.entryUuid);
        if (ofKind.length > 0) await tx.deleteObjects(kind, ofKind);
      }
      // Folders that stay but lose a member have changed content (touchFolders ignores sources that are SubmissionSets).
      const shrunk = found.filter((f) => f.type === AssociationType.HasMember && f.sourceId && !known.has(f.sourceId)).map((f) => f.sourceId!);
      await touchFolders(tx, [...new Set(shrunk)], (options.now ?? dtmNow)());

      const result: DeleteResult = { deleted: found.map(({ sourceId: _s, type: _t, ...deleted }) => deleted) };
      await call.withinTransaction?.(tx.transaction, result);
      return result;
    });
  } catch (err) {
    throw asRegistryError(err);
  }
}
