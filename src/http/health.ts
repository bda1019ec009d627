import type { Gateway } from '../gateway';

export interface HealthReport {
  status: 'ok' | 'degraded';
  store: { backend: string; version?: string; ok: boolean };
  jobs: { backend: string; ok: boolean; waiting?: number; delayed?: number; active?: number; failed?: number };
  /** Per Audit Record Repository: records pending and failed, last error. A dead repository degrades health but never blocks work. */
  audit: { ok: boolean; destinations: Awaited<ReturnType<Gateway['audit']['health']>> };
  homeCommunityId: string;
  repositoryUniqueId: string;
  /** The process that answered (with WORKERS > 1, one of several). */
  pid: number;
}

/** What /health reports: which store and job backend run, and whether they answer. */
export async function healthReport(gw: Gateway): Promise<HealthReport> {
  const store = await gw.db.query('SELECT 1').then(() => true, () => false);
  const jobs = await gw.jobs.stats().then(
    (s) => ({ backend: s.backend, ok: true, waiting: s.waiting, delayed: s.delayed, active: s.active, failed: s.failed }),
    () => ({ backend: gw.jobs.backend, ok: false }),
  );
  const destinations = await gw.audit.health().catch(() => []);
  const auditOk = destinations.every((d) => !d.configured || (d.failed === 0 && !(d.lastErrorAt && (!d.lastSentAt || d.lastErrorAt > d.lastSentAt))));
  return {
    status: store && jobs.ok && auditOk ? 'ok' : 'degraded',
    store: { ...gw.store, ok: store },
    jobs,
    audit: { ok: auditOk, destinations },
    homeCommunityId: gw.config.homeCommunityId,
    repositoryUniqueId: gw.config.repositoryUniqueId,
    pid: process.pid,
  };
}
