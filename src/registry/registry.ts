/**
 * The Document Registry: the one place that decides submissions, queries and metadata
 * lifecycle. Both front ends (MHD and XDS.b) call this, never the tables.
 */
import type { Config } from '../config';
import type { AffinityProfile } from '../domain/affinity-profile';
import type { SubmissionSet } from '../domain/metadata';
import { reachesPatient, type Principal } from '../domain/principal';
import type { Submission, SubmitResult } from '../domain/submission';
import type { StoreTransaction } from '../domain/store-transaction';
import { deleteObjects } from './delete-objects';
import { updateDocumentSet } from './lifecycle';
import type { DeleteResult, LifecycleCall, NewVersionOperation, StatusChangeOperation, UpdateRequest, UpdateResult } from './lifecycle-types';
import { acceptedPatientCx, type PatientPolicy } from './patient-feed';
import type { ChangeObserver, PatientRow, RegistrySession, RegistryStore, StoredQueryOptions, StoredQueryResult } from './ports';
import { submissionChanges } from '../domain/registry-changes';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { XdsErrorCode } from '../domain/error-codes';
import type { StoredQuery } from '../domain/stored-queries';
import { AccessDeniedError } from '../domain/access-denied';
import { requireOwnCommunity } from '../domain/community';
import { normalizeCx, parseCx } from '../domain/hl7v2';
import type { AuditScope } from '../audit/audit-scope';
import { submissionFacts } from '../audit/submission-facts';
import { auditedChange, auditedRead, deleteFacts, queriedPatient, updateFacts } from './change-audit';
import { runStoredQuery } from './stored-query-executor';
import { precheckSubmission, submitToRegistry, type SubmitOptions } from './submit';

export interface RegistryOptions {
  profile: AffinityProfile;
  patientPolicy: PatientPolicy;
  homeCommunityId: string;
  now?: () => string;
}

export interface SubmitCall {
  /** ITI-42 requires hash/size/repositoryUniqueId; a provide-and-register fills them itself. */
  requireRepositoryFields?: boolean;
  /** The request's audit: the registry writes its record (with the change, or on its own for a retry or a refusal). */
  audit?: AuditScope;
  /** Rows of other tables committing with the submission (the repository index); see SubmitOptions.extraRows. */
  extraRows?: SubmitOptions['extraRows'];
  withinTransaction?: (tx: StoreTransaction, registered: Submission) => Promise<void>;
}

/**
 * A stored query, with the request's audit, which the registry records before the result is
 * returned. `crossCommunity`: the query came from another community (XCA ITI-38), so one naming
 * a community other than this one is refused (XDSUnknownCommunity) rather than answered.
 */
export type QueryCall = Pick<StoredQueryOptions, 'page' | 'outgoing'> & { audit?: AuditScope; crossCommunity?: boolean };

/** A lifecycle change (ITI-57, ITI-62) with the request's audit, which the registry writes in the change's transaction. */
export type RegistryChangeCall<R> = LifecycleCall<R> & { audit?: AuditScope };

/** Registers or updates a patient (idempotent); returns whether it was new. */
async function upsertPatient(session: RegistrySession, patientId: string, policy: PatientPolicy, resource?: unknown): Promise<{ created: boolean }> {
  const cx = acceptedPatientCx(patientId, policy);
  const parsed = parseCx(cx)!;
  return session.upsertPatient({ patientId: cx, authority: parsed.authority, localId: parsed.id, ...(resource === undefined ? {} : { resource }) });
}

/** A patient row as `principal` may see it: another patient's is no patient at all to a caller bound to one. */
function visibleTo(principal: Principal, row: PatientRow | undefined): PatientRow | undefined {
  return row && reachesPatient(principal, row.patientId) ? row : undefined;
}

export class Registry {
  private observer: ChangeObserver | undefined;

  /** The registry the configuration describes (affinity profile, patient policy, community). */
  static fromConfig(store: RegistryStore, config: Pick<Config, 'profile' | 'patientCheck' | 'acceptedPatientAuthorities' | 'homeCommunityId'>): Registry {
    return new Registry(store, {
      profile: config.profile,
      patientPolicy: { check: config.patientCheck, acceptedAuthorities: config.acceptedPatientAuthorities },
      homeCommunityId: config.homeCommunityId,
    });
  }

  constructor(
    readonly store: RegistryStore,
    readonly options: RegistryOptions,
  ) {}

  /** Subscriptions (DSUBm): their events commit with each change; set once by the composition root. */
  observeChanges(observer: ChangeObserver): void {
    this.observer = observer;
  }

  /**
   * Registers a whole submission set atomically (ITI-42 semantics). A patient-context
   * principal may only submit about its own patient.
   */
  async submit(submission: Submission, principal: Principal, call: SubmitCall = {}): Promise<SubmitResult> {
    const patient = submission.submissionSet.patientId;
    if (principal.patientId !== undefined && normalizeCx(patient) !== principal.patientId) {
      throw new AccessDeniedError(`a caller limited to patient ${principal.patientId} submitted for ${patient}`);
    }
    const { audit } = call;
    audit?.note(submissionFacts(submission));
    let replayed = false;
    const result = await submitToRegistry(this.store, submission, {
      profile: this.options.profile,
      patientPolicy: this.options.patientPolicy,
      homeCommunityId: this.options.homeCommunityId,
      requireRepositoryFields: call.requireRepositoryFields ?? true,
      ...(this.options.now ? { now: this.options.now } : {}),
      ...(call.extraRows || audit || this.observer ? { extraRows: (registered: Submission, reregistered: ReadonlySet<string>) => {
        // The record names the objects actually stored.
        audit?.note(submissionFacts(registered));
        return [...(call.extraRows?.(registered, reregistered) ?? []), ...(audit?.changeRows() ?? []), ...(this.observer?.rowsFor(submissionChanges(registered)) ?? [])];
      } } : {}),
      ...(call.withinTransaction ? { withinTransaction: call.withinTransaction } : {}),
      ...(this.observer ? { changedInTransaction: this.observer.recordIn } : {}),
      onReplay: () => {
        replayed = true;
      },
    });
    if (result.status !== 'Failure' && !replayed) this.observer?.committed();
    if (!audit) return result;
    if (result.status === 'Failure') await audit.refused(result.errors);
    // An identical retry stored nothing, so no statement carried its record: it gets one of its own.
    else if (replayed) await audit.succeeded();
    else audit.committed();
    return result;
  }

  /**
   * ITI-18 / ITI-51 stored query (and MHD searches mapped onto them). A patient-context
   * principal sees only its own patient's objects.
   */
  query(request: StoredQuery, principal: Principal, options: QueryCall = {}): Promise<StoredQueryResult> {
    const { audit, crossCommunity, ...queryOptions } = options;
    const run = async () => {
      if (crossCommunity) requireOwnCommunity(request.homeCommunityId, this.options.homeCommunityId, false);
      return runStoredQuery(this.store.session, request, {
        ...queryOptions,
        maxResults: this.options.profile.queryMaxResults,
        ...(principal.patientId ? { patientScope: principal.patientId } : {}),
      });
    };
    if (!audit) return run();
    const patientId = queriedPatient(request);
    if (patientId !== undefined) audit.note({ patientId });
    return auditedRead(audit, run);
  }

  /**
   * A read made of several queries (an MHD search or read by id, which page through query()):
   * `read` runs them, and the registry writes the request's record before the result is
   * returned, naming the patient `patientOf` finds in the result (a found read only:
   * `undefined` from `read` is a miss, which the front end answers and fails).
   */
  async recordedRead<R>(audit: AuditScope, read: () => Promise<R | undefined>, patientOf: (result: R) => string | undefined): Promise<R | undefined> {
    const result = await read();
    if (result === undefined) return undefined;
    const patientId = patientOf(result);
    if (patientId !== undefined) audit.note({ patientId });
    await audit.succeeded();
    return result;
  }

  /** The checks that need no database, for a caller about to stream document bytes. */
  precheck(submission: Submission, call: Pick<SubmitCall, 'requireRepositoryFields'> = {}): { errors: RegistryErrorDetail[]; warnings: RegistryErrorDetail[] } {
    return precheckSubmission(submission, { profile: this.options.profile, requireRepositoryFields: call.requireRepositoryFields ?? true });
  }

  /** Patient identity feed (ITI-104 / ITI-8 style): the patient becomes known to the registry. */
  registerPatient(patientId: string, resource?: unknown, call: { audit?: AuditScope } = {}): Promise<{ created: boolean }> {
    const { audit } = call;
    if (!audit) return upsertPatient(this.store.session, patientId, this.options.patientPolicy, resource);
    audit.note({ patientId });
    // The feed and its audit record commit together.
    return auditedChange(audit, () => this.store.transaction(async (tx) => {
      const result = await upsertPatient(tx, patientId, this.options.patientPolicy, resource);
      audit.note({ action: result.created ? 'C' : 'U' });
      await audit.recordIn(tx.transaction);
      return result;
    }));
  }

  /** The fed patient with this CX, if `principal` may see it (a caller bound to one patient sees only that one). */
  async getPatient(patientId: string, principal: Principal): Promise<PatientRow | undefined> {
    return visibleTo(principal, await this.store.session.patient(patientId));
  }

  /**
   * Patient discovery (XCPD ITI-55): the fed, active patients among these CXs that `principal`
   * may see, each once, with the request's audit record written before the answer (naming the
   * first patient found). `accept` lets the caller hold a found patient to the query's other
   * traits (birth date, gender) before it counts as found.
   */
  async discoverPatients(patientIds: readonly string[], principal: Principal, audit: AuditScope, accept: (row: PatientRow) => boolean = () => true): Promise<PatientRow[]> {
    return auditedRead(audit, async () => {
      const found = new Map<string, PatientRow>();
      for (const id of new Set(patientIds.map((p) => normalizeCx(p)).filter((p): p is string => p !== undefined))) {
        const row = visibleTo(principal, await this.store.session.patient(id));
        if (row?.active && !found.has(row.patientId) && accept(row)) found.set(row.patientId, row);
      }
      const first = found.values().next().value;
      if (first) audit.note({ patientId: first.patientId });
      return [...found.values()];
    });
  }

  /** The fed patient of an authority whose identifier value has this digest (a Patient id of the `{tag}.{digest}` form), if `principal` may see it. */
  async getPatientByValueDigest(authority: string, digest: string, principal: Principal): Promise<PatientRow | undefined> {
    return visibleTo(principal, await this.store.session.patientByValueDigest(authority, digest));
  }

  /**
   * ITI-57 Update Document Set: new versions and status changes under one SubmissionSet, atomically; throws RegistryError.
   * A caller bound to one patient updates only that patient's objects: the SubmissionSet must
   * be about that patient, and the update's checks hold every object to the SubmissionSet's patient.
   */
  updateDocumentSet(request: UpdateRequest, principal: Principal, call: RegistryChangeCall<UpdateResult> = {}): Promise<UpdateResult> {
    const { audit } = call;
    const update = async (lifecycleCall: LifecycleCall<UpdateResult>) => {
      const patientId = request.submissionSet.patientId;
      if (!reachesPatient(principal, normalizeCx(patientId) ?? patientId)) {
        throw RegistryError.of(XdsErrorCode.XDSPatientIdDoesNotMatch, `the SubmissionSet is about ${patientId}, not the patient the caller is limited to`, patientId);
      }
      const observer = this.observer;
      if (!observer) return updateDocumentSet(this.store, request, { ...this.options, principal }, lifecycleCall);
      const result = await updateDocumentSet(this.store, request, { ...this.options, principal }, {
        withinTransaction: async (tx, r) => {
          await lifecycleCall.withinTransaction?.(tx, r);
          await observer.recordIn(tx, [...r.newVersions, ...r.statusChanges].map((c) => ({ kind: c.kind, entryUuid: c.entryUuid })));
        },
      });
      observer.committed();
      return result;
    };
    if (!audit) return update(call);
    audit.note({ patientId: request.submissionSet.patientId });
    return auditedChange(audit, () => update({
      withinTransaction: async (tx, r) => {
        await call.withinTransaction?.(tx, r);
        audit.note(updateFacts(request, r));
        await audit.recordIn(tx);
      },
    }));
  }

  /** ITI-57 Update DocumentEntry / Folder metadata: one new version. */
  createNewVersion(submissionSet: SubmissionSet, operation: NewVersionOperation, principal: Principal, call: RegistryChangeCall<UpdateResult> = {}): Promise<UpdateResult> {
    return this.updateDocumentSet({ submissionSet, newVersions: [operation] }, principal, call);
  }

  /** ITI-57 Update DocumentEntry / Folder availabilityStatus: Approved <-> Deprecated. */
  changeAvailabilityStatus(submissionSet: SubmissionSet, change: StatusChangeOperation, principal: Principal, call: RegistryChangeCall<UpdateResult> = {}): Promise<UpdateResult> {
    return this.updateDocumentSet({ submissionSet, statusChanges: [change] }, principal, call);
  }

  /**
   * ITI-62 Delete Document Set / Remove Metadata: all named registry objects or none; throws RegistryError.
   * A caller bound to one patient deletes only that patient's objects; another patient's read as unregistered.
   */
  deleteObjects(entryUuids: readonly string[], principal: Principal, call: RegistryChangeCall<DeleteResult> = {}): Promise<DeleteResult> {
    const { audit } = call;
    const options = { ...this.options, ...(principal.patientId !== undefined ? { patientScope: principal.patientId } : {}) };
    if (!audit) return deleteObjects(this.store, entryUuids, options, call);
    return auditedChange(audit, () => deleteObjects(this.store, entryUuids, options, {
      withinTransaction: async (tx, r) => {
        await call.withinTransaction?.(tx, r);
        audit.note(deleteFacts(r));
        await audit.recordIn(tx);
      },
    }));
  }
}
