/**
 * The registry's store (the RegistryStore port of registry/ports.ts) on PostgreSQL or PGlite,
 * handed to the Registry by the composition root (gateway.ts).
 */
import type { ObjectKind } from '../../../domain/metadata';
import type { ShortStatus } from '../../../domain/short-status';
import type { StoredQuery } from '../../../domain/stored-queries';
import type { StoreRows, StoreTransaction } from '../../../domain/store-transaction';
import type { Submission } from '../../../domain/submission';
import type { VersionedKind } from '../../../registry/lifecycle-types';
import type { RegistrySession, RegistryStore } from '../../../registry/ports';
import type { Database, SqlExecutor } from '../database';
import { insertRegistryObjects, type RegistryRows } from '../registry-rows';
import { statementPartsOf, transactionHandle } from '../store-handles';
import { deleteObjects, lockForDelete, objectsOfPatient, referencesFromOutside } from './delete-sql';
import { getPatient, getPatientByValueDigest, upsertPatient } from './patients-sql';
import { findReferences, lockSubmissionTargets, membersByUniqueId, registeredEntryUuids } from './references-sql';
import { approvedDocumentsOf, approvedFoldersHolding, deprecateWithDependents, folderMembershipsOf, touchFolders } from './relationships-sql';
import { runStoredQuery } from './stored-query-sql';
import { lockLatestVersion, setVersionStatus, unversionedKind, updatePreconditions } from './versions-sql';

class SqlRegistrySession implements RegistrySession {
  readonly transaction: StoreTransaction;

  constructor(private readonly sql: SqlExecutor) {
    this.transaction = transactionHandle(sql);
  }

  lockSubmissionTargets(targets: { replaced: string[]; referenced: string[]; documentUniqueIds: string[] }) {
    return lockSubmissionTargets(this.sql, targets);
  }
  findReferences(s: Submission, externalIds: string[]) {
    return findReferences(this.sql, s, externalIds);
  }
  membersByUniqueId(submissionSet: string, uniqueIds: string[]) {
    return membersByUniqueId(this.sql, submissionSet, uniqueIds);
  }
  registeredEntryUuids(ids: string[]) {
    return registeredEntryUuids(this.sql, ids);
  }
  insertObjects(objects: RegistryRows, extra: readonly StoreRows[] = []) {
    return insertRegistryObjects(this.sql, objects, statementPartsOf(extra));
  }
  deprecateWithDependents(originals: string[]) {
    return deprecateWithDependents(this.sql, originals);
  }
  approvedFoldersHolding(document: string) {
    return approvedFoldersHolding(this.sql, document);
  }
  touchFolders(folders: string[], now: string) {
    return touchFolders(this.sql, folders, now);
  }
  folderMembershipsOf(document: string) {
    return folderMembershipsOf(this.sql, document);
  }
  approvedDocumentsOf(folder: string) {
    return approvedDocumentsOf(this.sql, folder);
  }
  upsertPatient(patient: { patientId: string; authority: string; localId: string; resource?: unknown }) {
    return upsertPatient(this.sql, patient);
  }
  patient(patientId: string) {
    return getPatient(this.sql, patientId);
  }
  patientByValueDigest(authority: string, digest: string) {
    return getPatientByValueDigest(this.sql, authority, digest);
  }
  updatePreconditions(patientId: string, submissionSetUniqueId: string) {
    return updatePreconditions(this.sql, patientId, submissionSetUniqueId);
  }
  lockLatestVersion(ref: { entryUuid: string } | { logicalId: string }, kinds: readonly VersionedKind[]) {
    return lockLatestVersion(this.sql, ref, kinds);
  }
  setVersionStatus(kind: VersionedKind, entryUuid: string, status: ShortStatus) {
    return setVersionStatus(this.sql, kind, entryUuid, status);
  }
  unversionedKind(entryUuid: string) {
    return unversionedKind(this.sql, entryUuid);
  }
  lockForDelete(ids: string[]) {
    return lockForDelete(this.sql, ids);
  }
  objectsOfPatient(ids: readonly string[], patientId: string) {
    return objectsOfPatient(this.sql, ids, patientId);
  }
  referencesFromOutside(ids: string[]) {
    return referencesFromOutside(this.sql, ids);
  }
  deleteObjects(kind: ObjectKind, ids: string[]) {
    return deleteObjects(this.sql, kind, ids);
  }
  runQuery(query: StoredQuery, options: Parameters<typeof runStoredQuery>[2], homeCommunityId?: string) {
    return runStoredQuery(this.sql, query, options, homeCommunityId);
  }
}

/** The registry's operations on one connection or transaction the caller holds (benchmarks, tests). */
export function registrySessionOn(sql: SqlExecutor): SqlRegistrySession {
  return new SqlRegistrySession(sql);
}

export class SqlRegistryStore implements RegistryStore {
  readonly session: SqlRegistrySession;

  constructor(private readonly db: Database) {
    this.session = new SqlRegistrySession(db);
  }

  transaction<T>(fn: (tx: RegistrySession) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new SqlRegistrySession(tx)));
  }
}
