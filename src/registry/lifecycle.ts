/**
 * Update Document Set (ITI-57, XDS Metadata Update): new versions and status changes of
 * DocumentEntries and Folders, recorded under the update's own SubmissionSet, in one
 * transaction. A rejected request throws RegistryError and changes nothing.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError } from '../domain/registry-error';
import type { Database } from '../store/sql/database';
import { insertSubmissionSet } from '../store/sql/registry-rows';
import { asRegistryError } from './lifecycle-errors';
import { checkUpdateRequest, prepareUpdate } from './lifecycle-request';
import type { LifecycleCall, LifecycleOptions, UpdateRequest, UpdateResult } from './lifecycle-types';
import { applyNewVersion } from './new-version';
import { assertPatientKnown } from './patient-feed';
import { dtmNow } from './submit';
import { applyStatusChange } from './update-status';

export async function updateDocumentSet(
  db: Database,
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
    return await db.transaction(async (tx) => {
      const seen = await tx.query<{ patient_known: boolean; set_taken: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM patients WHERE patient_id = $1 AND active) AS patient_known,
                EXISTS (SELECT 1 FROM submission_sets WHERE unique_id = $2) AS set_taken`,
        [ss.patientId, ss.uniqueId],
      );
      assertPatientKnown(ss.patientId, seen.rows[0]!.patient_known, options.patientPolicy);
      if (seen.rows[0]!.set_taken) {
        throw RegistryError.of(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, `submission set uniqueId ${ss.uniqueId} is already registered`, ss.uniqueId);
      }
      await insertSubmissionSet(tx, ss);
      const newVersions = [];
      for (const op of update.newVersions) newVersions.push(await applyNewVersion(tx, op, { homeCommunityId: options.homeCommunityId, now }));
      const statusChanges = [];
      for (const op of update.statusChanges) statusChanges.push(await applyStatusChange(tx, op, ss));
      const result: UpdateResult = { submissionSet: ss.entryUuid, patientId: ss.patientId, ids: update.ids, newVersions, statusChanges, warnings };
      await call.withinTransaction?.(tx, result);
      return result;
    });
  } catch (err) {
    throw asRegistryError(err);
  }
}
