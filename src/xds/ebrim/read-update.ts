/**
 * ITI-57 Update Document Set: the SubmitObjectsRequest of a metadata update -> UpdateRequest
 * (registry/lifecycle-types.ts). The message is a SubmissionSet plus
 * - new versions: a DocumentEntry/Folder whose lid is the logicalID of a registered object,
 *   linked by a HasMember from the SubmissionSet carrying PreviousVersion (and optionally
 *   AssociationPropagation = no);
 * - status changes: UpdateAvailabilityStatus associations from the SubmissionSet to the entryUUID
 *   of the object, with OriginalStatus and NewStatus slots.
 * Anything else is an operation this registry does not decode (XDSMetadataUpdateOperationError).
 * Operation rules that need no database (lid differs from id, statuses Approved/Deprecated) stay
 * in registry/lifecycle-request.ts, which every front end goes through.
 */
import type { Element } from '@xmldom/xmldom';
import { XdsErrorCode } from '../../domain/error-codes';
import { AssociationType, type Association } from '../../domain/metadata';
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { NewVersionOperation, StatusChangeOperation, UpdateRequest, VersionedObject } from '../../registry/lifecycle-types';
import { Problems } from './problems';
import { decodeRegistryObjectList, soleSubmissionSet } from './read-list';

const OPERATION = XdsErrorCode.XDSMetadataUpdateOperationError;

function statusChange(a: Association, submissionSetId: string, problems: Problems): StatusChangeOperation | undefined {
  if (a.sourceId !== submissionSetId) {
    problems.error(a.entryUuid, `UpdateAvailabilityStatus ${a.entryUuid} must have the SubmissionSet ${submissionSetId} as sourceObject, not ${a.sourceId}`, OPERATION);
  }
  if (!a.originalStatus || !a.newStatus) {
    problems.error(a.entryUuid, `UpdateAvailabilityStatus ${a.entryUuid} needs both an OriginalStatus and a NewStatus slot`, OPERATION);
    return undefined;
  }
  return { target: { entryUuid: a.targetId }, originalStatus: a.originalStatus, newStatus: a.newStatus };
}

function newVersion(object: VersionedObject, member: Association | undefined, problems: Problems): NewVersionOperation | undefined {
  if (!member) {
    problems.error(object.entryUuid, `${object.kind} ${object.entryUuid} is not a member (HasMember) of the SubmissionSet`, OPERATION);
    return undefined;
  }
  if (member.previousVersion === undefined) {
    // A PreviousVersion slot that was there but unreadable is already reported by the decoder.
    if (!problems.hasErrorAt(member.entryUuid)) problems.error(member.entryUuid, `HasMember ${member.entryUuid} to the new version ${object.entryUuid} has no PreviousVersion slot`, OPERATION);
    return undefined;
  }
  return {
    object,
    previousVersion: member.previousVersion,
    ...(member.associationPropagation !== undefined ? { associationPropagation: member.associationPropagation } : {}),
  };
}

export interface ReadUpdateResult {
  request: UpdateRequest;
  warnings: RegistryErrorDetail[];
}

/** Throws RegistryError with every problem: metadata errors and undecodable operations. */
export function readUpdateRequest(list: Element): ReadUpdateResult {
  const problems = new Problems();
  const decoded = decodeRegistryObjectList(list, problems);
  const submissionSet = soleSubmissionSet(decoded, problems);
  if (!submissionSet) problems.throwIfErrors();
  const ssId = submissionSet!.entryUuid;

  const versions: VersionedObject[] = [
    ...decoded.documents.map((d): VersionedObject => ({ kind: 'DocumentEntry', ...d })),
    ...decoded.folders.map((f): VersionedObject => ({ kind: 'Folder', ...f })),
  ];
  const versionIds = new Set(versions.map((v) => v.entryUuid));
  const members = new Map<string, Association>();
  const statusChanges: StatusChangeOperation[] = [];
  for (const a of decoded.associations) {
    if (a.type === AssociationType.HasMember && a.sourceId === ssId && versionIds.has(a.targetId)) {
      if (members.has(a.targetId)) problems.error(a.entryUuid, `${a.targetId} is a member of the SubmissionSet twice`, OPERATION);
      else members.set(a.targetId, a);
    } else if (a.type === AssociationType.UpdateAvailabilityStatus) {
      const change = statusChange(a, ssId, problems);
      if (change) statusChanges.push(change);
    } else {
      problems.error(
        a.entryUuid,
        `association ${a.entryUuid} (${a.type} from ${a.sourceId} to ${a.targetId}) is no Update Document Set operation this registry supports: new DocumentEntry/Folder versions and UpdateAvailabilityStatus`,
        OPERATION,
      );
    }
  }
  const newVersions = versions.flatMap((v) => newVersion(v, members.get(v.entryUuid), problems) ?? []);
  problems.throwIfErrors();
  return {
    request: {
      submissionSet: submissionSet!,
      ...(newVersions.length > 0 ? { newVersions } : {}),
      ...(statusChanges.length > 0 ? { statusChanges } : {}),
    },
    warnings: problems.warnings,
  };
}

export function updateRequestFromList(list: Element): UpdateRequest {
  return readUpdateRequest(list).request;
}
