/**
 * Update DocumentEntry / Folder availabilityStatus (ITI-57 UpdateAvailabilityStatus): the
 * latest version of the object moves between Approved and Deprecated, and the request's
 * SubmissionSet records the change in an UpdateAvailabilityStatus association.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AssociationType, AvailabilityStatus, type SubmissionSet } from '../domain/metadata';
import { RegistryError } from '../domain/registry-error';
import type { SqlExecutor } from '../store/sql/database';
import { insertAssociation, shortStatus } from '../store/sql/registry-rows';
import { newEntryUuid } from './identifiers';
import type { StatusChangeOperation, StatusChangeOutcome } from './lifecycle-types';
import { lockLatestVersion, setVersionStatus } from './lifecycle-versions';

/** Why an object that is no DocumentEntry or Folder cannot have its status changed. */
async function unversionedTarget(tx: SqlExecutor, id: string): Promise<RegistryError> {
  const r = await tx.query<{ kind: string }>(
    `SELECT 'SubmissionSet' AS kind FROM submission_sets WHERE entry_uuid = $1
     UNION ALL SELECT 'Association' FROM associations WHERE entry_uuid = $1`,
    [id.toLowerCase()],
  );
  const kind = r.rows[0]?.kind;
  if (kind) {
    return RegistryError.of(XdsErrorCode.XDSMetadataUpdateOperationError, `the availabilityStatus of ${kind} ${id} cannot be changed by this registry`, id);
  }
  return RegistryError.of(XdsErrorCode.UnresolvedReferenceException, `no DocumentEntry or Folder ${id} is registered`, id);
}

export async function applyStatusChange(tx: SqlExecutor, op: StatusChangeOperation, submissionSet: SubmissionSet): Promise<StatusChangeOutcome> {
  const named = 'entryUuid' in op.target ? op.target.entryUuid : op.target.logicalId;
  const locked = await lockLatestVersion(tx, op.target, ['DocumentEntry', 'Folder']);
  if (!locked) throw await unversionedTarget(tx, named);
  const { latest } = locked;
  if (locked.named !== undefined && locked.named !== latest.entryUuid) {
    throw RegistryError.of(
      XdsErrorCode.XDSMetadataUpdateError,
      `${named} is not the latest version of ${latest.logicalId} (version ${latest.version} is ${latest.entryUuid}); only the latest version's status can change`,
      named,
    );
  }
  if (latest.patientId !== submissionSet.patientId) {
    throw RegistryError.of(XdsErrorCode.XDSPatientIdDoesNotMatch, `${latest.kind} ${latest.entryUuid} belongs to another patient than the SubmissionSet`, latest.entryUuid);
  }
  // A status that moved since the requester read it is a failed precondition of a well-formed
  // operation (XDSMetadataUpdateError), not an undecodable one (XDSMetadataUpdateOperationError).
  if (latest.status !== shortStatus(op.originalStatus)) {
    throw RegistryError.of(
      XdsErrorCode.XDSMetadataUpdateError,
      `OriginalStatus ${shortStatus(op.originalStatus)} does not match the current status ${latest.status} of ${latest.entryUuid}`,
      latest.entryUuid,
    );
  }
  await setVersionStatus(tx, latest.kind, latest.entryUuid, shortStatus(op.newStatus));
  const association = newEntryUuid();
  await insertAssociation(tx, {
    entryUuid: association,
    type: AssociationType.UpdateAvailabilityStatus,
    sourceId: submissionSet.entryUuid,
    targetId: latest.entryUuid,
    originalStatus: op.originalStatus,
    newStatus: op.newStatus,
    availabilityStatus: AvailabilityStatus.Approved,
  });
  return {
    kind: latest.kind,
    entryUuid: latest.entryUuid,
    logicalId: latest.logicalId,
    version: latest.version,
    patientId: latest.patientId,
    originalStatus: op.originalStatus,
    newStatus: op.newStatus,
    association,
  };
}
