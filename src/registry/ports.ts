/**
 * What the registry needs from its store, in domain terms. The registry decides (rules, error
 * codes, what commits together); the store reads, locks and writes. The SQL adapter lives in
 * store/sql/registry and is wired in the composition root (gateway.ts).
 */
import type { Association, DocumentEntry, Folder, ObjectKind, RegistryObject, SubmissionSet } from '../domain/metadata';
import type { ShortStatus } from '../domain/short-status';
import type { StoredQuery } from '../domain/stored-queries';
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import type { Submission } from '../domain/submission';
import type { RegistryChange } from '../domain/subscription';
import type { DeletedObject, ObjectRef, VersionedKind } from './lifecycle-types';

/** Registry objects written together in one statement. */
export interface RegistryObjects {
  submissionSets?: SubmissionSet[];
  documents?: DocumentEntry[];
  folders?: Folder[];
  associations?: Association[];
  /** entryUUIDs of `documents` that register again a uniqueId the registry already holds. */
  reregistered?: ReadonlySet<string>;
}

/** One registered object a submission refers to (see SubmissionReferences.find). */
export interface ReferenceHit {
  /** doc / folder / ss: a registered object with the uniqueId of the submission's; ref: an association endpoint; patient: the fed patient. */
  role: 'doc' | 'folder' | 'ss' | 'ref' | 'patient';
  kind: ObjectKind;
  uniqueId: string | null;
  entryUuid: string;
  patientId: string | null;
  status: string;
  hash: string | null;
  size: number | null;
}

export interface VersionRow {
  kind: VersionedKind;
  entryUuid: string;
  logicalId: string;
  version: number;
  /** Canonical CX as stored. */
  patientId: string;
  status: ShortStatus;
  object: DocumentEntry | Folder;
}

export interface LockedObject {
  /** The entryUUID the reference named, when it named one version rather than the logical object. */
  named?: string;
  latest: VersionRow;
}

/** A named object found for deletion; associations also carry source and type, to find folders that lose a member. */
export interface DeletableObject extends DeletedObject {
  sourceId?: string;
  type?: string;
}

export interface PatientRow {
  patientId: string;
  active: boolean;
  resource: unknown;
}

export interface StoredQueryOptions {
  /** Largest result a query may return when not paging; beyond it the query fails with XDSTooManyResults. */
  maxResults: number;
  /** CX of a patient-context principal: results limited to that patient; a query naming another patient returns nothing. */
  patientScope?: string;
  /** A window of the ordered result; `total` still counts every match. */
  page?: { offset: number; count: number };
  /**
   * Also read the associations whose source is a returned object (LeafClass only), in the
   * same statement where the query is a single select; `outgoing` in the result says whether
   * that was possible.
   */
  outgoing?: boolean;
}

export interface QueryObjectRef {
  id: string;
  homeCommunityId?: string;
}

export interface StoredQueryResult {
  /** LeafClass: the objects, `kind` set. Empty for ObjectRef. */
  objects: RegistryObject[];
  /** entryUUIDs of the returned objects, in result order. */
  refs: string[];
  /** The same with the homeCommunityId each object carries (or the request's). */
  objectRefs: QueryObjectRef[];
  /** Number of matching objects before paging. */
  total: number;
  /** With StoredQueryOptions.outgoing, when the query could carry them: every association whose source is a returned object. */
  outgoing?: Association[];
}

/**
 * The store's operations, on one connection or inside one transaction. Lookups on the
 * submission path are planned for their values (tables grow from empty; see store/sql).
 */
export interface RegistrySession {
  /** This session's transaction, for hooks whose writes must commit with the change (audit records). */
  readonly transaction: StoreTransaction;

  /** Holds what a submission reads until it commits: replaced documents for update, referenced objects and re-registered uniqueIds for share. */
  lockSubmissionTargets(targets: { replaced: string[]; referenced: string[]; documentUniqueIds: string[] }): Promise<void>;
  /** Registered objects with the submission's uniqueIds, the registered `externalIds`, and the submission's patient if fed and active. */
  findReferences(s: Submission, externalIds: string[]): Promise<ReferenceHit[]>;
  /** Members of a registered submission set with these document uniqueIds: uniqueId -> entryUUID. */
  membersByUniqueId(submissionSet: string, uniqueIds: string[]): Promise<Map<string, string>>;
  /** Which of these entryUUIDs are registered, and as what. */
  registeredEntryUuids(ids: string[]): Promise<Array<{ kind: ObjectKind; entryUuid: string }>>;
  /** Writes the objects and any rows of other tables in one statement. */
  insertObjects(objects: RegistryObjects, extra?: readonly StoreRows[]): Promise<void>;

  /** Deprecates approved documents among `originals`, and the approved addenda and transformations of them. */
  deprecateWithDependents(originals: string[]): Promise<void>;
  /** The approved folders holding a document. */
  approvedFoldersHolding(document: string): Promise<string[]>;
  /** Gives folders a new lastUpdateTime. */
  touchFolders(folders: string[], now: string): Promise<void>;
  /** The HasMember associations from folders to a document, in registration order. */
  folderMembershipsOf(document: string): Promise<Array<{ association: string; folder: string }>>;
  /** The approved documents an approved membership of the folder holds, in registration order. */
  approvedDocumentsOf(folder: string): Promise<string[]>;

  /** Registers or re-activates a patient; whether it was new. */
  upsertPatient(patient: { patientId: string; authority: string; localId: string; resource?: unknown }): Promise<{ created: boolean }>;
  patient(patientId: string): Promise<PatientRow | undefined>;
  /** The patient of an authority whose local id has this digest (hex prefix of its SHA-256). */
  patientByValueDigest(authority: string, digest: string): Promise<PatientRow | undefined>;

  /** Whether the patient is fed and active, and whether a submission set has this uniqueId. */
  updatePreconditions(patientId: string, submissionSetUniqueId: string): Promise<{ patientKnown: boolean; setTaken: boolean }>;
  /** Locks every version of the referenced object and returns its latest version; undefined when no such object exists. */
  lockLatestVersion(ref: ObjectRef, kinds: readonly VersionedKind[]): Promise<LockedObject | undefined>;
  setVersionStatus(kind: VersionedKind, entryUuid: string, status: ShortStatus): Promise<void>;
  /** The kind of a registered object that has no versions (SubmissionSet, Association), if any. */
  unversionedKind(entryUuid: string): Promise<'SubmissionSet' | 'Association' | undefined>;

  /** The named objects, locked for deletion. */
  lockForDelete(ids: string[]): Promise<DeletableObject[]>;
  /** The entryUUIDs among `ids` of objects of `patientId` (associations by the objects they link). */
  objectsOfPatient(ids: readonly string[], patientId: string): Promise<Set<string>>;
  /** Associations not among `ids` whose source or target is, in registration order. */
  referencesFromOutside(ids: string[]): Promise<Array<{ entryUuid: string; sourceId: string; targetId: string }>>;
  deleteObjects(kind: ObjectKind, ids: string[]): Promise<void>;

  /** Runs a validated stored query. */
  runQuery(query: StoredQuery, options: StoredQueryOptions, homeCommunityId?: string): Promise<StoredQueryResult>;
}

export interface RegistryStore {
  /** Each operation on its own (auto-commit). */
  readonly session: RegistrySession;
  /** Runs fn inside one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: RegistrySession) => Promise<T>): Promise<T>;
}

/**
 * Told of every change the registry commits, to write rows that commit with it (the events
 * of matching subscriptions) and to hear when it has committed (to start their delivery).
 */
export interface ChangeObserver {
  /** Rows of the statement that registers a submission's objects. */
  rowsFor(changes: readonly RegistryChange[]): StoreRows[];
  /** Inside the transaction of a change of registered objects (ITI-57): records its events. */
  recordIn(tx: StoreTransaction, changed: ReadonlyArray<{ kind: 'DocumentEntry' | 'Folder'; entryUuid: string }>): Promise<void>;
  /** After a change that may have recorded events has committed. */
  committed(): void;
}
