/**
 * Update Document Set (ITI-57, XDS Metadata Update): new versions and status changes of
 * DocumentEntries and Folders, recorded under the update's own SubmissionSet, in one
 * transaction. A rejected request throws RegistryError and changes nothing.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { SYSTEM_PRINCIPAL } from '../domain/principal';
import { RegistryError } from '../domain/registry-error';
import { asRegistryError } from './lifecycle-errors';
import { checkUpdateRequest, prepareUpdate } from './lifecycle-request';
import type { LifecycleCall, LifecycleOptions, UpdateRequest, UpdateResult } from './lifecycle-types';
import { applyNewVersion } from './new-version';
import type { RegistryStore } from './ports';
import { assertPatientKnown } from './patient-feed';
import { dtmNow } from './submit';
import { applyStatusChange } from './update-status';

export async function updateDocumentSet(
  store: RegistryStore,
  request: UpdateRequest,
  options: LifecycleOptions,
  call: LifecycleCall<UpdateResult> = {},
): Promise<UpdateResult> {
  const checks = checkUpdateRequest(request, options.profile);
  const errors = checks.filter((e) => e.severity === 'Error');
  if (errors.length > 0) throw new RegistryError(errors);
  const warnings = checks.filter((e) => e.severity === 'Warning');

  const now = (options.now ?? dtmNow)();
  const update = prepareUpdate(request, options.homeCommunityId);
  const ss = update.submissionSet;
  try {
    return await store.transaction(async (tx) => {
      const seen = await tx.updatePreconditions(ss.patientId, ss.uniqueId);
      assertPatientKnown(ss.patientId, seen.patientKnown, options.patientPolicy);
      if (seen.setTaken) {
        throw RegistryError.of(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, `submission set uniqueId ${ss.uniqueId} is already registered`, ss.uniqueId);
      }
      await tx.insertObjects({ submissionSets: [ss] });
      const principal = options.principal ?? SYSTEM_PRINCIPAL;
      const newVersions = [];
      for (const op of update.newVersions) newVersions.push(await applyNewVersion(tx, op, { homeCommunityId: options.homeCommunityId, now, principal }));
      const statusChanges = [];
      for (const op of update.statusChanges) statusChanges.push(await applyStatusChange(tx, op, ss, principal));
      const result: UpdateResult = { submissionSet: ss.entryUuid, patientId: ss.patientId, ids: update.ids, newVersions, statusChanges, warnings };
      await call.withinTransaction?.(tx.transaction, result);
      return result;
    });
  } catch (err) {
    throw asRegistryError(err);
  }
}
