/**
 * Update DocumentEntry / Folder metadata (ITI-57): the new metadata becomes the next version
 * of the logical object, the replaced version is deprecated, and memberships follow the new
 * version unless association propagation is off.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { AvailabilityStatus, type Association, type DocumentEntry, type Folder } from '../domain/metadata';
import { reachesPatient, type Principal } from '../domain/principal';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import type { PreparedNewVersion } from './lifecycle-request';
import { propagateMemberships } from './lifecycle-propagation';
import type { NewVersionOutcome, VersionedObject } from './lifecycle-types';
import type { RegistrySession, VersionRow } from './ports';

export interface NewVersionContext {
  homeCommunityId: string;
  now: string;
  principal: Principal;
}

/**
 * Attributes that identify what the metadata describes and so may not change between
 * versions: a changed patient is a reconciliation the update may not do; a changed uniqueId,
 * objectType or document (hash, size, repository) would describe another document.
 */
function unchangeableDifferences(next: VersionedObject, previous: VersionRow): RegistryErrorDetail[] {
  const where = next.entryUuid;
  const problems: RegistryErrorDetail[] = [];
  const differs = (name: string, registered: unknown, update: unknown) => {
    if (registered !== update) {
      problems.push({ code: XdsErrorCode.XDSMetadataUpdateError, severity: 'Error', context: `${name} may not change (registered ${String(registered)}, update has ${String(update)})`, location: where });
    }
  };
  if (next.patientId !== previous.patientId) {
    problems.push({ code: XdsErrorCode.XDSPatientIDReconciliationError, severity: 'Error', context: `patientId may not change from ${previous.patientId} to ${next.patientId}`, location: where });
  }
  differs('uniqueId', previous.object.uniqueId, next.uniqueId);
  if (next.kind === 'DocumentEntry') {
    // Locked in document_entries, so the registered object is a DocumentEntry.
    const registered = previous.object as DocumentEntry;
    differs('objectType', registered.objectType, next.objectType);
    differs('hash', registered.hash?.toLowerCase(), next.hash?.toLowerCase());
    differs('size', registered.size, next.size);
    differs('repositoryUniqueId', registered.repositoryUniqueId, next.repositoryUniqueId);
  }
  return problems;
}

/** The new version and its SubmissionSet membership, in one statement. */
async function insertVersion(tx: RegistrySession, object: VersionedObject, member: Association): Promise<void> {
  const { kind, ...fields } = object;
  const associations = [{ ...member, availabilityStatus: AvailabilityStatus.Approved }];
  if (kind === 'DocumentEntry') await tx.insertObjects({ documents: [fields as DocumentEntry], associations });
  else await tx.insertObjects({ folders: [fields as Folder], associations });
}

export async function applyNewVersion(tx: RegistrySession, op: PreparedNewVersion, ctx: NewVersionContext): Promise<NewVersionOutcome> {
  const { kind, logicalId, entryUuid } = op.object;
  const locked = await tx.lockLatestVersion({ logicalId: logicalId! }, [kind]);
  // Another patient's object answers a caller bound to one patient exactly as an unregistered one.
  if (!locked || !reachesPatient(ctx.principal, locked.latest.patientId)) {
    throw RegistryError.of(XdsErrorCode.XDSMetadataUpdateError, `no ${kind} with logicalID ${logicalId} is registered`, entryUuid);
  }
  const previous = locked.latest;
  if (previous.version !== op.previousVersion) {
    throw RegistryError.of(
      XdsErrorCode.XDSMetadataVersionError,
      `PreviousVersion ${op.previousVersion} is not the latest version of ${logicalId}, which is ${previous.version}`,
      entryUuid,
    );
  }
  if (previous.status !== 'Approved') {
    throw RegistryError.of(XdsErrorCode.XDSMetadataUpdateError, `the latest version of ${logicalId} is ${previous.status}, not Approved`, entryUuid);
  }
  const problems = unchangeableDifferences(op.object, previous);
  if (problems.length > 0) throw new RegistryError(problems);

  const next: VersionedObject = {
    ...op.object,
    logicalId: previous.logicalId,
    version: previous.version + 1,
    availabilityStatus: AvailabilityStatus.Approved,
    homeCommunityId: ctx.homeCommunityId,
    // A new folder version is an update of the folder.
    ...(kind === 'Folder' ? { lastUpdateTime: ctx.now } : {}),
  };
  await insertVersion(tx, next, op.member);
  await tx.setVersionStatus(kind, previous.entryUuid, 'Deprecated');
  const propagated = op.associationPropagation ? await propagateMemberships(tx, kind, previous.entryUuid, entryUuid, ctx.now) : [];
  return {
    kind,
    logicalId: previous.logicalId,
    entryUuid,
    version: previous.version + 1,
    patientId: previous.patientId,
    previousEntryUuid: previous.entryUuid,
    previousVersion: previous.version,
    memberAssociation: op.member.entryUuid,
    propagated,
  };
}
