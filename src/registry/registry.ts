/**
 * The Document Registry: the one place that decides submissions, queries and metadata
 * lifecycle. Both front ends (MHD and XDS.b) call this, never the tables.
 */
import type { AffinityProfile, Config } from '../config';
import type { SubmissionSet } from '../domain/metadata';
import type { Principal } from '../domain/principal';
import type { Submission, SubmitResult } from '../domain/submission';
import type { Database, SqlExecutor } from '../store/sql/database';
import type { TableRows } from '../store/sql/table-rows';
import { deleteObjects } from './delete-objects';
import { updateDocumentSet } from './lifecycle';
import type { DeleteResult, LifecycleCall, NewVersionOperation, StatusChangeOperation, UpdateRequest, UpdateResult } from './lifecycle-types';
import { getPatient, getPatientByValueDigest, upsertPatient, type PatientPolicy } from './patient-feed';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { StoredQueryId, type StoredQueryRequest } from '../domain/stored-queries';
import { AccessDeniedError } from '../domain/access-denied';
import { normalizeCx } from '../domain/hl7v2';
import { runStoredQuery, type StoredQueryOptions, type StoredQueryResult } from './stored-query-executor';
import { precheckSubmission, submitToRegistry } from './submit';

export interface RegistryOptions {
  profile: AffinityProfile;
  patientPolicy: PatientPolicy;
  homeCommunityId: string;
  now?: () => string;
}

export interface SubmitCall {
  /** ITI-42 requires hash/size/repositoryUniqueId; a provide-and-register fills them itself. */
  requireRepositoryFields?: boolean;
  extraRows?: (registered: Submission) => TableRows[];
  withinTransaction?: (tx: SqlExecutor, registered: Submission) => Promise<void>;
}

export class Registry {
  /** The registry the configuration describes (affinity profile, patient policy, community). */
  static fromConfig(db: Database, config: Pick<Config, 'profile' | 'patientCheck' | 'acceptedPatientAuthorities' | 'homeCommunityId'>): Registry {
    return new Registry(db, {
      profile: config.profile,
      patientPolicy: { check: config.patientCheck, acceptedAuthorities: config.acceptedPatientAuthorities },
      homeCommunityId: config.homeCommunityId,
    });
  }

  constructor(
    readonly db: Database,
    readonly options: RegistryOptions,
  ) {}

  /**
   * Registers a whole submission set atomically (ITI-42 semantics). A patient-context
   * principal may only submit about its own patient.
   */
  async submit(submission: Submission, principal: Principal, call: SubmitCall = {}): Promise<SubmitResult> {
    const patient = submission.submissionSet.patientId;
    if (principal.patientId !== undefined && normalizeCx(patient) !== principal.patientId) {
      throw new AccessDeniedError(`a caller limited to patient ${principal.patientId} submitted for ${patient}`);
    }
    return submitToRegistry(this.db, submission, {
      profile: this.options.profile,
      patientPolicy: this.options.patientPolicy,
      homeCommunityId: this.options.homeCommunityId,
      requireRepositoryFields: call.requireRepositoryFields ?? true,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(call.extraRows ? { extraRows: call.extraRows } : {}),
      ...(call.withinTransaction ? { withinTransaction: call.withinTransaction } : {}),
    });
  }

  /**
   * ITI-18 / ITI-51 stored query (and MHD searches mapped onto them). A patient-context
   * principal sees only its own patient's objects.
   */
  query(request: StoredQueryRequest, principal: Principal, options: Pick<StoredQueryOptions, 'page' | 'outgoing'> = {}): Promise<StoredQueryResult> {
    return runStoredQuery(this.db, request, {
      ...options,
      maxResults: this.options.profile.queryMaxResults,
      ...(principal.patientId ? { patientScope: principal.patientId } : {}),
    });
  }

  /**
   * The patient of a document, as `principal` may see it: `found: false` when the registry
   * lists no such document for this caller (for a patient-context caller, also when the
   * document is another patient's; repositories answer that exactly like an unknown document).
   */
  async documentPatient(documentUniqueId: string, principal: Principal): Promise<{ found: boolean; patientId?: string }> {
    const r = await this.query(
      { queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryUniqueId: [[documentUniqueId]] } },
      principal,
    );
    const entry = r.objects.find((o) => o.kind === 'DocumentEntry');
    return entry ? { found: true, patientId: entry.patientId } : { found: false };
  }

  /** The checks that need no database, for a caller about to stream document bytes. */
  precheck(submission: Submission, call: Pick<SubmitCall, 'requireRepositoryFields'> = {}): { errors: RegistryErrorDetail[]; warnings: RegistryErrorDetail[] } {
    return precheckSubmission(submission, { profile: this.options.profile, requireRepositoryFields: call.requireRepositoryFields ?? true });
  }

  /** Patient identity feed (ITI-104 / ITI-8 style): the patient becomes known to the registry. */
  registerPatient(
    patientId: string,
    resource?: unknown,
    withinTransaction?: (tx: SqlExecutor, result: { created: boolean }) => Promise<void>,
  ): Promise<{ created: boolean }> {
    if (!withinTransaction) return upsertPatient(this.db, patientId, this.options.patientPolicy, resource);
    // With a hook (the audit record), the feed and what the hook writes commit together.
    return this.db.transaction(async (tx) => {
      const result = await upsertPatient(tx, patientId, this.options.patientPolicy, resource);
      await withinTransaction(tx, result);
      return result;
    });
  }

  getPatient(patientId: string) {
    return getPatient(this.db, patientId);
  }

  /** The fed patient of an authority whose identifier value has this digest (a Patient id of the `{tag}.{digest}` form). */
  getPatientByValueDigest(authority: string, digest: string) {
    return getPatientByValueDigest(this.db, authority, digest);
  }

  /** ITI-57 Update Document Set: new versions and status changes under one SubmissionSet, atomically; throws RegistryError. */
  updateDocumentSet(request: UpdateRequest, _principal: Principal, call: LifecycleCall<UpdateResult> = {}): Promise<UpdateResult> {
    return updateDocumentSet(this.db, request, this.options, call);
  }

  /** ITI-57 Update DocumentEntry / Folder metadata: one new version. */
  createNewVersion(submissionSet: SubmissionSet, operation: NewVersionOperation, principal: Principal, call: LifecycleCall<UpdateResult> = {}): Promise<UpdateResult> {
    return this.updateDocumentSet({ submissionSet, newVersions: [operation] }, principal, call);
  }

  /** ITI-57 Update DocumentEntry / Folder availabilityStatus: Approved <-> Deprecated. */
  changeAvailabilityStatus(submissionSet: SubmissionSet, change: StatusChangeOperation, principal: Principal, call: LifecycleCall<UpdateResult> = {}): Promise<UpdateResult> {
    return this.updateDocumentSet({ submissionSet, statusChanges: [change] }, principal, call);
  }

  /** ITI-62 Delete Document Set / Remove Metadata: all named registry objects or none; throws RegistryError. */
  deleteObjects(entryUuids: readonly string[], _principal: Principal, call: LifecycleCall<DeleteResult> = {}): Promise<DeleteResult> {
    return deleteObjects(this.db, entryUuids, this.options, call);
  }
}
