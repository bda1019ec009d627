import type { Gateway } from '../gateway';

export interface HealthReport {
  status: 'ok' | 'degraded';
  store: { backend: string; ok: boolean };
  jobs: { backend: string; ok: boolean; waiting?: number; delayed?: number; active?: number; failed?: number };
  homeCommunityId: string;
  repositoryUniqueId: string;
}

/** What /health reports: which store and job backend run, and whether they answer. */
export async function healthReport(gw: Gateway): Promise<HealthReport> {
  const store = await gw.db.query('SELECT 1').then(() => true, () => false);
  const jobs = await gw.jobs.stats().then(
    (s) => ({ backend: s.backend, ok: true, waiting: s.waiting, delayed: s.delayed, active: s.active, failed: s.failed }),
    () => ({ backend: gw.jobs.backend, ok: false }),
  );
  return {
    status: store && jobs.ok ? 'ok' : 'degraded',
    store: { backend: gw.db.kind, ok: store },
    jobs,
    homeCommunityId: gw.config.homeCommunityId,
    repositoryUniqueId: gw.config.repositoryUniqueId,
  };
}
