/**
 * An update request checked and prepared without the database: the same structural, code
 * and message rules a submission gets (the update is itself a submission set), the
 * operation rules of ITI-57, and registry-assigned entryUUIDs.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { normalizeCx } from '../domain/hl7v2';
import { AssociationType, AvailabilityStatus, type Association, type DocumentEntry, type Folder, type SubmissionSet } from '../domain/metadata';
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { Submission } from '../domain/submission';
import { validateCodes, validateSubmissionStructure } from '../domain/validation';
import type { AffinityProfile } from '../domain/affinity-profile';
import { isUuidUrn } from '../domain/uuid';
import { assignEntryUuids, newEntryUuid } from './identifiers';
import type { NewVersionOperation, StatusChangeOperation, UpdateRequest, VersionedObject } from './lifecycle-types';
import { checkMessage } from './message-checks';

export interface PreparedNewVersion {
  /** Given id replaced by its entryUUID; patient id canonical. */
  object: VersionedObject;
  /** HasMember SubmissionSet -> new version, as it will be stored. */
  member: Association;
  previousVersion: number;
  associationPropagation: boolean;
}

export interface PreparedUpdate {
  submissionSet: SubmissionSet;
  newVersions: PreparedNewVersion[];
  /** Targets naming a new version of this request by its given id are rewritten to its entryUUID. */
  statusChanges: StatusChangeOperation[];
  ids: Record<string, string>;
}

const CHANGEABLE_STATUSES: ReadonlySet<string> = new Set([AvailabilityStatus.Approved, AvailabilityStatus.Deprecated]);

function error(code: XdsErrorCode, context: string, location?: string): RegistryErrorDetail {
  return { code, severity: 'Error', context, ...(location ? { location } : {}) };
}

/** The update's SubmissionSet with the new versions as its members, in request order. */
function asSubmission(req: UpdateRequest): Submission {
  const ops = req.newVersions ?? [];
  const stripKind = ({ kind: _kind, ...fields }: VersionedObject) => fields;
  return {
    submissionSet: req.submissionSet,
    documents: ops.flatMap((op) => (op.object.kind === 'DocumentEntry' ? [stripKind(op.object) as DocumentEntry] : [])),
    folders: ops.flatMap((op) => (op.object.kind === 'Folder' ? [stripKind(op.object) as Folder] : [])),
    associations: ops.map((op) => ({
      // A UUID, so it cannot collide with an id the request gave.
      entryUuid: newEntryUuid(),
      type: AssociationType.HasMember,
      sourceId: req.submissionSet.entryUuid,
      targetId: op.object.entryUuid,
      submissionSetStatus: 'Original' as const,
      previousVersion: op.previousVersion,
      ...(op.associationPropagation === false ? { associationPropagation: false } : {}),
    })),
  };
}

function checkNewVersion(op: NewVersionOperation, seenLogicalIds: Set<string>): RegistryErrorDetail[] {
  const problems: RegistryErrorDetail[] = [];
  const { logicalId, entryUuid } = op.object;
  const where = logicalId ?? entryUuid;
  if (!logicalId || !isUuidUrn(logicalId)) {
    problems.push(error(XdsErrorCode.XDSMetadataUpdateError, `a new version needs the logicalID (a urn:uuid) of the object it updates, got "${logicalId ?? ''}"`, where));
  } else if (logicalId.toLowerCase() === entryUuid.toLowerCase()) {
    // entryUUID = logicalID marks an initial version, which only a submission may register.
    problems.push(error(XdsErrorCode.XDSMetadataUpdateError, `entryUUID equals logicalID ${logicalId}: an initial version cannot be registered by an update`, where));
  } else if (seenLogicalIds.has(logicalId.toLowerCase())) {
    problems.push(error(XdsErrorCode.XDSMetadataUpdateOperationError, `logical object ${logicalId} is updated twice in one request`, where));
  }
  if (logicalId) seenLogicalIds.add(logicalId.toLowerCase());
  if (!Number.isSafeInteger(op.previousVersion) || op.previousVersion < 1) {
    problems.push(error(XdsErrorCode.XDSMetadataUpdateOperationError, `PreviousVersion "${op.previousVersion}" is not a version number`, where));
  }
  return problems;
}

function checkStatusChange(op: StatusChangeOperation): RegistryErrorDetail[] {
  const where = 'entryUuid' in op.target ? op.target.entryUuid : op.target.logicalId;
  if (!where) return [error(XdsErrorCode.XDSMetadataUpdateOperationError, 'a status change must name its object by entryUUID or logicalID')];
  // Only Approved <-> Deprecated is an operation ITI-57 defines; anything else cannot be decoded as one.
  if (!CHANGEABLE_STATUSES.has(op.originalStatus) || !CHANGEABLE_STATUSES.has(op.newStatus)) {
    return [error(XdsErrorCode.XDSMetadataUpdateOperationError, `a status change goes between Approved and Deprecated, not ${op.originalStatus} -> ${op.newStatus}`, where)];
  }
  if (op.originalStatus === op.newStatus) {
    return [error(XdsErrorCode.XDSMetadataUpdateOperationError, `OriginalStatus and NewStatus are both ${op.newStatus}`, where)];
  }
  return [];
}

/** Every rule that needs only the request; errors and warnings together, as the submit path reports them. */
export function checkUpdateRequest(req: UpdateRequest, profile: AffinityProfile): RegistryErrorDetail[] {
  const ops = req.newVersions ?? [];
  const changes = req.statusChanges ?? [];
  if (ops.length === 0 && changes.length === 0) {
    return [error(XdsErrorCode.XDSMetadataUpdateOperationError, 'the update names no new version and no status change', req.submissionSet.entryUuid)];
  }
  const submission = asSubmission(req);
  const seen = new Set<string>();
  return [
    // Repository fields are not required here: they must equal the registered ones, which the registry checks.
    ...validateSubmissionStructure(submission, { requireRepositoryFields: false }),
    ...validateCodes(submission, profile),
    ...checkMessage(submission),
    ...ops.flatMap((op) => checkNewVersion(op, seen)),
    ...changes.flatMap(checkStatusChange),
  ];
}

/** Assigns entryUUIDs and canonical patient ids; call after checkUpdateRequest found no errors. */
export function prepareUpdate(req: UpdateRequest, homeCommunityId: string): PreparedUpdate {
  const { submission, ids } = assignEntryUuids(asSubmission(req));
  const patient = (p: string) => normalizeCx(p) ?? p;
  const documents = [...submission.documents];
  const folders = [...submission.folders];
  const newVersions = (req.newVersions ?? []).map((op, i): PreparedNewVersion => {
    const assigned: VersionedObject =
      op.object.kind === 'DocumentEntry' ? { kind: 'DocumentEntry', ...documents.shift()! } : { kind: 'Folder', ...folders.shift()! };
    return {
      object: { ...assigned, patientId: patient(assigned.patientId), logicalId: assigned.logicalId!.toLowerCase() },
      member: submission.associations[i]!,
      previousVersion: op.previousVersion,
      associationPropagation: op.associationPropagation !== false,
    };
  });
  const resolve = (id: string) => ids[id] ?? id;
  const statusChanges = (req.statusChanges ?? []).map((op) =>
    'entryUuid' in op.target ? { ...op, target: { entryUuid: resolve(op.target.entryUuid) } } : op,
  );
  const given = [req.submissionSet.entryUuid, ...(req.newVersions ?? []).map((op) => op.object.entryUuid)];
  return {
    submissionSet: {
      ...submission.submissionSet,
      patientId: patient(submission.submissionSet.patientId),
      availabilityStatus: AvailabilityStatus.Approved,
      homeCommunityId,
    },
    newVersions,
    statusChanges,
    ids: Object.fromEntries(given.map((id) => [id, ids[id]!])),
  };
}
