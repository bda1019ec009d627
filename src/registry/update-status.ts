/**
 * Update DocumentEntry / Folder availabilityStatus (ITI-57 UpdateAvailabilityStatus): the
 * latest version of the object moves between Approved and Deprecated, and the request's
 * SubmissionSet records the change in an UpdateAvailabilityStatus association.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AssociationType, AvailabilityStatus, type SubmissionSet } from '../domain/metadata';
import { reachesPatient, type Principal } from '../domain/principal';
import { RegistryError } from '../domain/registry-error';
import { shortStatus } from '../domain/short-status';
import { newEntryUuid } from './identifiers';
import type { StatusChangeOperation, StatusChangeOutcome } from './lifecycle-types';
import type { RegistrySession } from './ports';

/** Why an object that is no DocumentEntry or Folder (that `principal` may reach) cannot have its status changed. */
async function unreachableTarget(tx: RegistrySession, id: string, principal: Principal): Promise<RegistryError> {
  const kind = await tx.unversionedKind(id.toLowerCase());
  const visible = kind !== undefined && (principal.patientId === undefined || (await tx.objectsOfPatient([id.toLowerCase()], principal.patientId)).size > 0);
  if (kind && visible) {
    return RegistryError.of(XdsErrorCode.XDSMetadataUpdateOperationError, `the availabilityStatus of ${kind} ${id} cannot be changed by this registry`, id);
  }
  return RegistryError.of(XdsErrorCode.UnresolvedReferenceException, `no DocumentEntry or Folder ${id} is registered`, id);
}

export async function applyStatusChange(tx: RegistrySession, op: StatusChangeOperation, submissionSet: SubmissionSet, principal: Principal): Promise<StatusChangeOutcome> {
  const named = 'entryUuid' in op.target ? op.target.entryUuid : op.target.logicalId;
  const locked = await tx.lockLatestVersion(op.target, ['DocumentEntry', 'Folder']);
  // Another patient's object answers a caller bound to one patient exactly as an unregistered
  // one, before any check that would describe it (its versions, its patient).
  if (!locked || !reachesPatient(principal, locked.latest.patientId)) throw await unreachableTarget(tx, named, principal);
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
  await tx.setVersionStatus(latest.kind, latest.entryUuid, shortStatus(op.newStatus));
  const association = newEntryUuid();
  await tx.insertObjects({ associations: [{
    entryUuid: association,
    type: AssociationType.UpdateAvailabilityStatus,
    sourceId: submissionSet.entryUuid,
    targetId: latest.entryUuid,
    originalStatus: op.originalStatus,
    newStatus: op.newStatus,
    availabilityStatus: AvailabilityStatus.Approved,
  }] });
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
