// Audit forwarding throughput: 10,000 AuditEvents through the outbox, the JobQueue
// (in-process) and the TLS syslog sender to a real rsyslogd (rsyslog-gnutls) started here
// with a generated CA. Two phases:
//   backlog - 10,000 events already in the outbox, forwarded as fast as it goes;
//   paced   - 10,000 events written at 1,000/s while forwarding runs, measuring how far
//             delivery lags behind (the target: keep up with 1,000 events/s).
// Env: BENCH_STORE=postgres|pglite (default postgres), BENCH_EVENTS (10000), AUDIT_BATCH_SIZE (500).
import { parseAuditConfig } from '../src/audit/audit-config';
import type { AuditJobMap } from '../src/audit/audit-jobs';
import { createAuditService } from '../src/audit/audit-service';
import { buildAuditEvent } from '../src/audit/build-audit-event';
import { loadConfig } from '../src/config';
import { createJobQueue } from '../src/jobs/create-job-queue';
import type { Database } from '../src/store/sql/database';
import { createTestPki } from '../test/audit/support/certs';
import { CONTEXT, createInput } from '../test/audit/support/fixtures';
import { sqlAuditStores, storeEvents } from '../test/audit/support/stores';
import { findRsyslogd, startRsyslog, type RsyslogServer } from '../test/audit/support/rsyslog';
import { benchStore, openBenchDatabase, writeResult } from './support';

const DESTINATION = 'rsyslog';

async function sentCount(db: Database): Promise<number> {
  const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_outbox WHERE destination = $1 AND status = 'sent'", [DESTINATION]);
  return r.rows[0]!.n;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function eventsOf(count: number) {
  return Array.from({ length: count }, () => buildAuditEvent(createInput(), CONTEXT));
}

async function insert(db: Database, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1000) {
    await storeEvents(db, eventsOf(Math.min(1000, count - done)), [DESTINATION]);
  }
}

/** Waits for both: the outbox says sent, and rsyslog has written every message. */
async function delivered(db: Database, server: RsyslogServer, total: number): Promise<void> {
  await until(async () => (await sentCount(db)) >= total, 300_000, 'outbox sent');
  await server.waitForCount(total, 300_000);
}

async function main(): Promise<void> {
  const bin = findRsyslogd();
  if (!bin) throw new Error('rsyslogd with rsyslog-gnutls is needed: apt-get install rsyslog rsyslog-gnutls');
  const store = benchStore();
  const count = Number(process.env.BENCH_EVENTS ?? 10_000);
  const pki = await createTestPki();
  const server = await startRsyslog(bin, { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, authMode: 'x509/certvalid' });
  const { db, drop } = await openBenchDatabase(store, 8);
  const base = loadConfig({ AUTH: 'off' });
  const audit = parseAuditConfig(
    {
      AUDIT_SYSLOG_TLS: `${DESTINATION}=127.0.0.1:${server.port}`,
      AUDIT_TLS_CA: pki.caFile,
      AUDIT_TLS_CERT: pki.clientCertFile,
      AUDIT_TLS_KEY: pki.clientKeyFile,
      AUDIT_POLL_MS: '20',
      AUDIT_BATCH_SIZE: process.env.AUDIT_BATCH_SIZE ?? '500',
      AUDIT_HOSTNAME: 'bench-gateway',
    },
    { homeCommunityId: base.homeCommunityId },
  );
  const jobs = createJobQueue<AuditJobMap>();
  const service = createAuditService({ audit, profile: { ...base.profile, patientIdSystems: CONTEXT.patientIdSystems } }, { ...sqlAuditStores(db), jobs, logger: { warn: console.warn, error: console.error } });
  try {
    await jobs.start();

    // Backlog: everything in the outbox first, then the forwarder starts.
    await insert(db, count);
    const t0 = performance.now();
    service.start();
    await delivered(db, server, count);
    const backlogMs = performance.now() - t0;

    // Paced: 1,000 events/s for count/1000 seconds while forwarding runs.
    const p0 = performance.now();
    let maxPending = 0;
    for (let i = 0; i < count / 100; i++) {
      await storeEvents(db, eventsOf(100), [DESTINATION]);
      const pending = count + (i + 1) * 100 - (await sentCount(db));
      maxPending = Math.max(maxPending, pending);
      const wait = p0 + (i + 1) * 100 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const writtenMs = performance.now() - p0;
    await delivered(db, server, 2 * count);
    const lagMs = performance.now() - p0 - writtenMs;

    const [health] = await service.health();
    const result = {
      scenario: 'audit-forward',
      transport: 'syslog TLS (RFC 5425) to rsyslogd with client certificate',
      store,
      events: count,
      batchSize: audit.batchSize,
      backlog: { seconds: Math.round(backlogMs) / 1000, perSecond: Math.round((count / backlogMs) * 1000) },
      paced: {
        offeredPerSecond: Math.round((count / writtenMs) * 1000),
        maxPendingObserved: maxPending,
        deliveredWithinMsAfterLastWrite: Math.round(lagMs),
      },
      outbox: { pending: health?.pending ?? 0, failed: health?.failed ?? 0 },
      target: 'keeps up with >= 1000 events per second',
    };
    console.log(JSON.stringify(result, null, 2));
    console.log('written to', await writeResult(`audit-forward-${store}`, result));
  } finally {
    await service.close();
    await jobs.close();
    await drop();
    await server.stop();
    await pki.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
