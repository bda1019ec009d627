/**
 * The Initiating Gateway's core, front-end neutral: a stored query asked of several
 * communities at once, each call a job on the JobQueue (so any gateway process sharing the
 * queue may run it), merged into one answer in which every object carries its
 * homeCommunityId. A community that cannot answer in time is an XDSUnavailableCommunity
 * error located at its homeCommunityId, one the directory does not know XDSUnknownCommunity
 * (ITI TF-2b 3.38.4.1.3); the others' results still come back.
 *
 * Jobs: key `community.query:<requestId>:<digest of query and caller>:<homeCommunityId>`, so a
 * fan-out retried with the same request id finds each finished call's kept result instead of
 * calling again. A call is
 * retried with backoff only for transient failures (connection refused/reset, 503, timeout);
 * a SOAP fault or a RegistryError answer is final. The requester waits for each job's result
 * (JobQueue.waitForResult) up to the time its attempts can take.
 */
import { createHash } from 'node:crypto';
import { XdsErrorCode } from '../domain/error-codes';
import type { RegistryObject } from '../domain/metadata';
import { reachesPatient, type Principal } from '../domain/principal';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { checkStoredQuery } from '../domain/registry-query';
import type { StoredQuery } from '../domain/stored-queries';
import { backoffDelayMs } from '../jobs/job-options';
import { JobWaitTimeout, type JobQueue } from '../jobs/job-queue';
import type { Community } from './community';
import { queryCallRecord, type CommunityAuditTrail } from './community-audit';
import type { CommunityDirectory } from './community-directory';
import type { CommunityHealth } from './community-health';
import { CommunityCallError, professionalOf, type CallerIdentity, type CommunityTransport, type RemoteObjectRef, type RemoteQueryAnswer } from './ports';
import { queriedPatients } from './queried-patients';

export const COMMUNITY_QUERY_JOB = 'community.query';

export interface CommunityQueryPayload {
  requestId: string;
  homeCommunityId: string;
  query: StoredQuery;
  identity: CallerIdentity;
  /** Total attempts of this call, known to the handler so its last attempt answers instead of throwing. */
  attempts: number;
}

/** A job's result: what one community answered, or why it could not. */
export type CommunityCallResult =
  | { outcome: 'answered'; answer: RemoteQueryAnswer; latencyMs: number }
  /** `refused`: the community answered with a refusal (SOAP fault, HTTP error): up, but no result. */
  | { outcome: 'unavailable'; reason: string; latencyMs: number; refused?: boolean }
  | { outcome: 'unknown' };

export interface CommunityJobs {
  [COMMUNITY_QUERY_JOB]: CommunityQueryPayload;
}

export type CommunityJobQueue = Pick<JobQueue<CommunityJobs>, 'registerHandler' | 'enqueue' | 'waitForResult'>;

export interface FanOutOptions {
  /** Attempts per community call, the first included. Default 2. */
  attempts: number;
  /** Backoff before retry n: backoffMs * 2^(n-1). Default 200. */
  backoffMs: number;
  /**
   * How long a finished call's result is kept for a retried fan-out. Default 1 min: a consumer
   * retries within its own timeout, and the results are patient metadata kept in Redis.
   */
  keepResultMs: number;
  /** Added to each community's wait for the queue's own delays (pick-up by a worker, Redis). Default 2000. */
  queueSlackMs: number;
}

export const DEFAULT_FAN_OUT_OPTIONS: FanOutOptions = { attempts: 2, backoffMs: 200, keepResultMs: 60_000, queueSlackMs: 2_000 };

export interface FanOutRequest {
  /** Unique per consumer request (e.g. its WS-Addressing MessageID); a retry with the same id reuses finished calls. */
  requestId: string;
  /** The typed query (MHD) or the ITI-18 parameters (XDS); checked once here, before any call. */
  query: StoredQuery;
  /** Explicit homeCommunityIds, or every community of the directory. This community's own id is skipped (answered locally by the caller). */
  communities: 'all' | readonly string[];
  /** Who asks: a patient-context caller gets only its patient's objects. */
  principal: Principal;
  identity?: CallerIdentity;
}

/** What one community contributed to a fan-out, for the caller's audit and diagnostics. */
export interface CommunityOutcome {
  homeCommunityId: string;
  outcome: 'answered' | 'unavailable' | 'unknown' | 'not-asked';
  /** The remote answer's status, when it answered. */
  status?: RemoteQueryAnswer['status'];
  reason?: string;
  latencyMs?: number;
}

export interface FanOutResult {
  /** Objects of every community that answered, each with its homeCommunityId. */
  objects: RegistryObject[];
  /** For returnType ObjectRef. */
  objectRefs: RemoteObjectRef[];
  /** The remote RegistryErrors, and XDSUnavailableCommunity / XDSUnknownCommunity / XDSMissingHomeCommunityId errors located at the community. */
  errors: RegistryErrorDetail[];
  /** Remote communities asked (this one excluded), in request order. */
  communities: CommunityOutcome[];
  /** Whether this community was among those asked for (explicitly or by "all"): the caller answers that part locally. */
  includesLocal: boolean;
}

export interface CommunityFanOutDeps {
  localCommunityId: string;
  directory: CommunityDirectory;
  jobs: CommunityJobQueue;
  health: CommunityHealth;
  /** Absent in a process that only enqueues: its jobs run elsewhere. */
  transport?: CommunityTransport;
  /** Where the record of each call to a community goes (the requester's process writes it). */
  audit?: CommunityAuditTrail;
  /** A record that could not be written (the trail keeps its own spool; this only reports). */
  onAuditError?: (err: unknown) => void;
  options?: Partial<FanOutOptions>;
}

const errorOf = (code: XdsErrorCode, context: string, location: string): RegistryErrorDetail => ({ code, severity: 'Error', context, location });

export class CommunityFanOut {
  readonly options: FanOutOptions;

  constructor(private readonly deps: CommunityFanOutDeps) {
    this.options = { ...DEFAULT_FAN_OUT_OPTIONS, ...deps.options };
  }

  /** Registers the community-call job handler: before the queue starts. */
  registerJobs(): void {
    this.deps.jobs.registerHandler(COMMUNITY_QUERY_JOB, (payload, ctx) => this.runCall(payload, ctx.attempt));
  }

  /**
   * Asks the communities and merges their answers. Throws RegistryError only for a query that
   * is wrong in itself (the same checks the local registry makes); every community problem is
   * an error entry of the result.
   */
  async query(request: FanOutRequest): Promise<FanOutResult> {
    const query = checkStoredQuery(request.query);
    const local = this.deps.localCommunityId;
    const snapshot = this.deps.directory.snapshot();
    const named = request.communities === 'all' ? [...snapshot.byId.keys()] : [...new Set(request.communities)];
    const includesLocal = request.communities === 'all' || named.includes(local);
    const remote = named.filter((id) => id !== local);
    // A patient-context caller asking about another patient: no community is asked (the local registry answers nothing either).
    const patients = queriedPatients(query);
    const outOfScope = patients.some((p) => !reachesPatient(request.principal, p));
    const outcomes = await Promise.all(remote.map(async (id): Promise<CommunityCallResult | 'not-asked'> => {
      if (outOfScope) return 'not-asked';
      const community = snapshot.byId.get(id);
      if (!community) return { outcome: 'unknown' };
      const result = await this.call(request, community, query);
      await this.audit(community, query, request.principal, patients[0], result);
      return result;
    }));
    // References carry no patient to check: a patient-context caller gets them only from a query bound to its patient.
    const refsVisible = request.principal.patientId === undefined || patients.length > 0;
    return this.merge(remote, outcomes, request.principal, includesLocal, refsVisible);
  }

  private async call(request: FanOutRequest, community: Community, query: StoredQuery): Promise<CommunityCallResult> {
    const id = community.homeCommunityId;
    const health = this.deps.health;
    if (!health.tryAcquire(id)) return { outcome: 'unavailable', reason: 'circuit open: the community failed repeatedly and is not asked until its cool-down ends', latencyMs: 0 };
    const started = Date.now();
    const { attempts, backoffMs, keepResultMs, queueSlackMs } = this.options;
    const identity: CallerIdentity = { ...request.identity, professional: professionalOf(request.principal) };
    const payload: CommunityQueryPayload = { requestId: request.requestId, homeCommunityId: id, query, identity, attempts };
    const result = await (async (): Promise<CommunityCallResult> => {
      let jobId: string;
      try {
        jobId = await this.deps.jobs.enqueue(COMMUNITY_QUERY_JOB, payload, {
          idempotencyKey: `${COMMUNITY_QUERY_JOB}:${request.requestId}:${callDigest(query, identity, request.principal)}:${id}`,
          attempts,
          backoffMs,
          keepResultMs,
        });
      } catch (err) {
        // The queue is down (Redis): this process asks the community itself, once, rather than not at all.
        if (this.deps.transport) return this.runCall(payload, attempts);
        return { outcome: 'unavailable', reason: `the call could not be queued: ${(err as Error).message}`, latencyMs: Date.now() - started };
      }
      try {
        const outcome = await this.deps.jobs.waitForResult(jobId, waitBudgetMs(community.timeoutMs, attempts, backoffMs) + queueSlackMs);
        if (outcome.state === 'failed') return { outcome: 'unavailable', reason: outcome.error, latencyMs: Date.now() - started };
        return outcome.result as CommunityCallResult;
      } catch (err) {
        const reason = err instanceof JobWaitTimeout ? `no answer within ${err.timeoutMs} ms` : `the call's result could not be read: ${(err as Error).message}`;
        return { outcome: 'unavailable', reason, latencyMs: Date.now() - started };
      }
    })();
    if (result.outcome === 'answered') health.record(id, 'answered', result.latencyMs);
    else if (result.outcome === 'unavailable') health.record(id, result.refused ? 'answered' : 'unavailable', result.latencyMs, result.reason);
    else health.record(id, 'answered', 0); // a directory that lost the entry: the community did not fail
    return result;
  }

  private async audit(community: Community, query: StoredQuery, principal: Principal, patientId: string | undefined, result: CommunityCallResult): Promise<void> {
    if (!this.deps.audit || result.outcome === 'unknown') return;
    const failure = result.outcome === 'unavailable' ? result.reason : undefined;
    await this.deps.audit.record(queryCallRecord(community, query, principal, patientId, failure)).catch((err: unknown) => this.deps.onAuditError?.(err));
  }

  /** The job: one call to one community, in whichever process took the job. */
  private async runCall(payload: CommunityQueryPayload, attempt: number): Promise<CommunityCallResult> {
    const community = this.deps.directory.get(payload.homeCommunityId);
    if (!community) return { outcome: 'unknown' };
    const transport = this.deps.transport;
    if (!transport) throw new Error('this gateway process has no community transport');
    const started = Date.now();
    try {
      const answer = await transport.query(community, payload.query, payload.identity, AbortSignal.timeout(community.timeoutMs));
      return { outcome: 'answered', answer, latencyMs: Date.now() - started };
    } catch (err) {
      const transient = !(err instanceof CommunityCallError) || err.transient;
      // Thrown: the queue retries it after its backoff. The last attempt answers "unavailable" instead of dead-lettering a call nobody waits for any more.
      if (transient && attempt < payload.attempts) throw err;
      return { outcome: 'unavailable', reason: (err as Error).message, latencyMs: Date.now() - started, ...(transient ? {} : { refused: true }) };
    }
  }

  private merge(ids: string[], results: Array<CommunityCallResult | 'not-asked'>, principal: Principal, includesLocal: boolean, refsVisible: boolean): FanOutResult {
    const out: FanOutResult = { objects: [], objectRefs: [], errors: [], communities: [], includesLocal };
    ids.forEach((id, i) => {
      const r = results[i]!;
      if (r === 'not-asked') {
        out.communities.push({ homeCommunityId: id, outcome: 'not-asked' });
        return;
      }
      if (r.outcome === 'unknown') {
        out.errors.push(errorOf(XdsErrorCode.XDSUnknownCommunity, `community ${id} is not in this gateway's community directory`, id));
        out.communities.push({ homeCommunityId: id, outcome: 'unknown' });
        return;
      }
      if (r.outcome === 'unavailable') {
        out.errors.push(errorOf(XdsErrorCode.XDSUnavailableCommunity, `community ${id} did not answer: ${r.reason}`, id));
        out.communities.push({ homeCommunityId: id, outcome: 'unavailable', reason: r.reason, latencyMs: r.latencyMs });
        return;
      }
      const { answer } = r;
      out.communities.push({ homeCommunityId: id, outcome: 'answered', status: answer.status, latencyMs: r.latencyMs });
      const visible = answer.objects
        .filter((o) => o.kind === 'Association' || reachesPatient(principal, o.patientId))
        .map((o) => ({ ...o, homeCommunityId: o.homeCommunityId ?? id }) as RegistryObject);
      const kept = new Set(visible.map((o) => o.entryUuid));
      // An association is kept only with an end in what the caller may see (its document, folder or submission set).
      out.objects.push(...visible.filter((o) => o.kind !== 'Association' || kept.has(o.sourceId) || kept.has(o.targetId) || principal.patientId === undefined));
      if (refsVisible) out.objectRefs.push(...answer.objectRefs.map((ref) => ({ id: ref.id, homeCommunityId: ref.homeCommunityId ?? id })));
      out.errors.push(...answer.errors.map((e) => ({ ...e, location: e.location ?? id })));
      // A Responding Gateway must put home on every object; the ones it left out are named (ITI TF-2b 3.38.4.1.3), and kept with the community asked.
      const homeless = [...answer.objects.filter((o) => o.homeCommunityId === undefined).map((o) => o.entryUuid), ...answer.objectRefs.filter((r) => r.homeCommunityId === undefined).map((r) => r.id)];
      if (homeless.length > 0) out.errors.push(errorOf(XdsErrorCode.XDSMissingHomeCommunityId, `the Responding Gateway of community ${id} returned objects without homeCommunityId: ${homeless.slice(0, 10).join(', ')}${homeless.length > 10 ? ', …' : ''}`, id));
    });
    return out;
  }
}

/**
 * What a call's result depends on besides the request id: a request id reused by another
 * caller or for another query (a consumer's MessageID is not a secret) must not be answered
 * with a kept result that was asked for someone else.
 */
function callDigest(query: StoredQuery, identity: CallerIdentity, principal: Principal): string {
  return createHash('sha256').update(JSON.stringify([query, identity, principal.subject, principal.patientId ?? null])).digest('base64url').slice(0, 22);
}

/** Longest a call's attempts can take: each attempt's timeout plus the backoff before each retry. */
function waitBudgetMs(timeoutMs: number, attempts: number, backoffMs: number): number {
  let total = timeoutMs * attempts;
  for (let n = 1; n < attempts; n++) total += backoffDelayMs(n, backoffMs);
  return total;
}
