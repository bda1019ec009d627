// An audit service wired as the gateway wires it (config -> senders -> forwarder ->
// in-process JobQueue) over its own PGlite schema, for the transport tests.
import { parseAuditConfig } from '../../../src/audit/audit-config';
import { createAuditService, type AuditService } from '../../../src/audit/audit-service';
import { loadConfig } from '../../../src/config';
import { createJobQueue } from '../../../src/jobs/create-job-queue';
import type { JobQueue } from '../../../src/jobs/job-queue';
import type { Database } from '../../../src/store/sql/database';
import { openTestDatabase } from '../../support/databases';
import { CONTEXT } from './fixtures';
import { sqlAuditStores } from './stores';

export interface AuditHarness {
  db: Database;
  audit: AuditService;
  jobs: JobQueue;
  logged: string[];
  /** Outbox rows of this harness's destinations by status. */
  statuses(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Fast polling and retries so the tests don't wait for production timings. */
const FAST = { AUDIT_POLL_MS: '50', AUDIT_RETRY_BASE_MS: '100', AUDIT_RETRY_MAX_MS: '400', AUDIT_SEND_TIMEOUT_MS: '3000' };

/**
 * `shared`: another harness's database, for several differently configured gateways
 * (with different destination names) over one store. The shared PGlite's schemas are
 * selected per connection, so two harnesses must not each open their own.
 */
export async function startAuditHarness(env: Record<string, string>, shared?: Database): Promise<AuditHarness> {
  const { db, drop } = shared ? { db: shared, drop: async () => undefined } : await openTestDatabase('pglite');
  const base = loadConfig({ AUTH: 'off' });
  const audit = parseAuditConfig({ AUDIT_HOSTNAME: CONTEXT.hostname, AUDIT_SOURCE_ID: CONTEXT.sourceId, AUDIT_ENTERPRISE_SITE_ID: CONTEXT.enterpriseSiteId, ...FAST, ...env }, { homeCommunityId: base.homeCommunityId });
  const profile = { ...base.profile, patientIdSystems: CONTEXT.patientIdSystems };
  const logged: string[] = [];
  const logger = { warn: (_: object, msg: string) => logged.push(msg), error: (_: object, msg: string) => logged.push(msg) };
  const jobs = createJobQueue(); // untyped, as gateway.ts creates it: the audit service must accept that
  const service = createAuditService({ audit, profile }, { ...sqlAuditStores(db), jobs, logger });
  await jobs.start();
  service.start();
  return {
    db,
    audit: service,
    jobs,
    logged,
    async statuses() {
      const r = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM audit_outbox WHERE destination = ANY($1::text[]) GROUP BY status', [
        service.forwarder.destinations,
      ]);
      return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
    },
    async close() {
      await service.close();
      await jobs.close();
      await drop();
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
