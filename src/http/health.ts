/**
 * /health: which store and job backend run and whether each dependency answers, within a
 * fixed budget whatever the dependencies do (a frozen database or an unreachable Redis
 * is reported as down, not waited for). Each dependency is `up`, `degraded` (answers, but
 * something behind it fails: an audit repository not taking records) or `down`.
 *
 * The overall status is `down` (HTTP 503) only when the store is down, since then no
 * transaction can be served and a load balancer should send traffic elsewhere; with Redis
 * or an audit repository down the gateway still serves (audit records wait in the outbox,
 * jobs resume when Redis returns), so it is `degraded` with HTTP 200.
 */
import type { CommunityHealthState } from '../communities/community-health';
import type { Gateway } from '../gateway';
import { withTimeout } from '../timeout';

export type DependencyState = 'up' | 'degraded' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  store: { backend: string; version?: string; ok: boolean; state: DependencyState };
  jobs: { backend: string; ok: boolean; state: DependencyState; waiting?: number; delayed?: number; active?: number; failed?: number };
  /** Per Audit Record Repository: records pending and failed, last error. A dead repository degrades health but never blocks work. */
  audit: { ok: boolean; state: DependencyState; destinations: Awaited<ReturnType<Gateway['audit']['health']>> };
  /** Remote communities of the directory, as this process sees them: circuit, latency, errors. An open circuit degrades health (never 503: the rest still answers). */
  communities: { state: DependencyState; list: CommunityHealthState[] };
  homeCommunityId: string;
  repositoryUniqueId: string;
  /** The process that answered (with WORKERS > 1, one of several). */
  pid: number;
}

/** Each check's budget; they run side by side, so the report is ready within about this long. */
const HEALTH_CHECK_BUDGET_MS = 700;

type Destinations = HealthReport['audit']['destinations'];

function failing(d: Destinations[number]): boolean {
  return d.configured && (d.failed > 0 || Boolean(d.lastErrorAt && (!d.lastSentAt || d.lastErrorAt > d.lastSentAt)));
}

export async function healthReport(gw: Gateway): Promise<HealthReport> {
  const [store, jobs, destinations] = await Promise.all([
    withTimeout(gw.db.query('SELECT 1'), HEALTH_CHECK_BUDGET_MS, 'store').then(() => true, () => false),
    withTimeout(gw.jobs.stats(), HEALTH_CHECK_BUDGET_MS, 'jobs').then(
      (s) => ({ backend: s.backend, ok: true, state: 'up' as const, waiting: s.waiting, delayed: s.delayed, active: s.active, failed: s.failed }),
      () => ({ backend: gw.jobs.backend, ok: false, state: 'down' as const }),
    ),
    // Outbox state lives in the database: unknown (undefined) while it does not answer.
    withTimeout(gw.audit.health(), HEALTH_CHECK_BUDGET_MS, 'audit').catch(() => undefined),
  ]);
  const auditOk = destinations !== undefined && !destinations.some(failing);
  const auditState: DependencyState = destinations === undefined ? 'down' : auditOk ? 'up' : 'degraded';
  const communities = gw.communities.health.states(gw.communities.directory.list().map((c) => c.homeCommunityId));
  const communitiesState: DependencyState = communities.some((c) => c.circuit !== 'closed') ? 'degraded' : 'up';
  const status = !store ? 'down' : jobs.ok && auditOk && communitiesState === 'up' ? 'ok' : 'degraded';
  return {
    status,
    store: { ...gw.store, ok: store, state: store ? 'up' : 'down' },
    jobs,
    audit: { ok: auditOk, state: auditState, destinations: destinations ?? [] },
    communities: { state: communitiesState, list: communities },
    homeCommunityId: gw.config.homeCommunityId,
    repositoryUniqueId: gw.config.repositoryUniqueId,
    pid: process.pid,
  };
}
