/**
 * Requests and results of the metadata lifecycle operations: Update Document Set (ITI-57,
 * new versions and availabilityStatus changes) and Delete Document Set / Remove Metadata
 * (ITI-62). Front ends translate their messages into these; results carry every entryUUID
 * touched so a front end can answer and the audit layer can record it.
 */
import type { AffinityProfile } from '../domain/affinity-profile';
import type { AvailabilityStatus, DocumentEntry, Folder, ObjectKind, SubmissionSet } from '../domain/metadata';
import type { Principal } from '../domain/principal';
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { StoreTransaction } from '../domain/store-transaction';
import type { PatientPolicy } from './patient-feed';

/** The object kinds that have versions (logicalID + version). */
export type VersionedKind = 'DocumentEntry' | 'Folder';

export type VersionedObject = ({ kind: 'DocumentEntry' } & DocumentEntry) | ({ kind: 'Folder' } & Folder);

/** One version by its entryUUID, or a logical object by its logicalID (meaning its latest version). */
export type ObjectRef = { entryUuid: string } | { logicalId: string };

/** Update DocumentEntry / Folder metadata. */
export interface NewVersionOperation {
  /**
   * The complete new metadata. `logicalId` names the registered object it updates; `entryUuid`
   * is the id given in the request (symbolic or a UUID) and must differ from the logicalId.
   */
  object: VersionedObject;
  /** The version this one replaces (PreviousVersion); must be the latest registered version. */
  previousVersion: number;
  /** AssociationPropagation; false keeps folder memberships from being carried to the new version. Default true. */
  associationPropagation?: boolean;
}

/** Update DocumentEntry / Folder availabilityStatus (UpdateAvailabilityStatus association). */
export interface StatusChangeOperation {
  /** An entryUUID may also be the id a new version of the same request was given. */
  target: ObjectRef;
  originalStatus: AvailabilityStatus;
  newStatus: AvailabilityStatus;
}

export interface UpdateRequest {
  /** The update's own SubmissionSet; stored like any other, it records who changed what and when. */
  submissionSet: SubmissionSet;
  newVersions?: NewVersionOperation[];
  /** Applied after the new versions, so a status change of a logical object updated in the same request hits the new version. */
  statusChanges?: StatusChangeOperation[];
}

export interface PropagatedMembership {
  association: string;
  folder: string;
  document: string;
}

export interface NewVersionOutcome {
  kind: VersionedKind;
  logicalId: string;
  entryUuid: string;
  version: number;
  patientId: string;
  previousEntryUuid: string;
  previousVersion: number;
  /** HasMember from the update's SubmissionSet to the new version. */
  memberAssociation: string;
  /** Folder memberships carried from the previous version to the new one. */
  propagated: PropagatedMembership[];
}

export interface StatusChangeOutcome {
  kind: VersionedKind;
  entryUuid: string;
  logicalId: string;
  version: number;
  patientId: string;
  originalStatus: AvailabilityStatus;
  newStatus: AvailabilityStatus;
  /** The UpdateAvailabilityStatus association that records the change. */
  association: string;
}

export interface UpdateResult {
  submissionSet: string;
  patientId: string;
  /** Id given in the request (symbolic or UUID) -> registered entryUUID, for the SubmissionSet and new versions. */
  ids: Record<string, string>;
  newVersions: NewVersionOutcome[];
  statusChanges: StatusChangeOutcome[];
  /** Warnings only (e.g. lenient code validation); a rejected request throws RegistryError. */
  warnings: RegistryErrorDetail[];
}

export interface DeletedObject {
  kind: ObjectKind;
  entryUuid: string;
  /** Absent for associations. */
  patientId?: string;
  logicalId?: string;
  version?: number;
}

export interface DeleteResult {
  deleted: DeletedObject[];
}

export interface LifecycleOptions {
  profile: AffinityProfile;
  patientPolicy: PatientPolicy;
  homeCommunityId: string;
  /** Current time as XDS DTM (injectable for tests). */
  now?: () => string;
  /** Who asks (default: the system): a caller bound to one patient reaches only that patient's objects. */
  principal?: Principal;
}

export interface LifecycleCall<R> {
  /** Extra writes that must commit with the change (audit outbox). */
  withinTransaction?: (tx: StoreTransaction, result: R) => Promise<void>;
}
