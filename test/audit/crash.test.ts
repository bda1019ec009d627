// Crash test against real processes: a gateway on PostgreSQL forwarding its audit
// records over TLS syslog to a real rsyslogd takes a load of ITI-65 submissions, is
// killed with SIGKILL in the middle, and restarted on the same DATA_DIR and database.
// Every committed submission set must have its ITI-65 audit event (same transaction),
// and every audit event must reach rsyslogd (at least once) once the outbox drains.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { feedPatient, freshBundle, request } from '../fhir/http/support';
import { startGateway, type GatewayProcess } from '../support/gateway-process';
import { needService } from '../support/services';
import { createTestPki, type TestPki } from './support/certs';
import { waitFor } from './support/audit-harness';
import { needRsyslog, parseSyslog5424, startRsyslog, type RsyslogServer } from './support/rsyslog';

const DESTINATION = 'rsyslog';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('audit survives a gateway crash (kill -9) under ITI-65 load [postgres, rsyslogd TLS]', function () {
  this.timeout(120_000);
  let pgUrl: string;
  let bin: string;
  let pki: TestPki | undefined;
  let rsyslog: RsyslogServer | undefined;
  let admin: pg.Client | undefined;
  let schema: string | undefined;
  let dataDir: string | undefined;
  const gateways: GatewayProcess[] = [];

  before(async function () {
    pgUrl = await needService(this, 'postgres');
    bin = needRsyslog(this);
    pki = await createTestPki();
    rsyslog = await startRsyslog(bin, { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, authMode: 'anon' });
    schema = `crash_${randomBytes(5).toString('hex')}`;
    admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`SET search_path TO ${schema}`);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hie-gw-crash-'));
  });

  after(async () => {
    for (const gw of gateways) await gw.stop('SIGKILL').catch(() => undefined);
    await rsyslog?.stop();
    await pki?.cleanup();
    if (admin) {
      if (schema) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function env(): Record<string, string> {
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir!,
      AUTH: 'off',
      LOG_LEVEL: 'warn',
      AUDIT_SYSLOG_TLS: `${DESTINATION}=127.0.0.1:${rsyslog!.port}`,
      AUDIT_TLS_CA: pki!.caFile,
      AUDIT_TLS_SERVERNAME: 'localhost',
      AUDIT_POLL_MS: '100',
      // A crash after a claim leaves the claimed rows leased: keep the lease short so the restarted gateway resends them soon.
      AUDIT_LEASE_MS: '1500',
      AUDIT_RETRY_BASE_MS: '100',
      AUDIT_RETRY_MAX_MS: '500',
      AUDIT_SEND_TIMEOUT_MS: '3000',
    };
  }

  async function start(): Promise<GatewayProcess> {
    const gw = await startGateway(env());
    gateways.push(gw);
    return gw;
  }

  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await admin!.query<T>(sql, params)).rows;

  it('every committed submission has its ITI-65 audit event and every audit event reaches rsyslogd', async () => {
    const first = await start();
    const fhir = `${first.baseUrl}/fhir`;
    const fed = await feedPatient(fhir);
    assert.ok(fed.status === 200 || fed.status === 201, `ITI-104: ${fed.status} ${fed.text}`);

    // Load: 8 concurrent ITI-65 submitters; the gateway is killed while they run.
    let killed = false;
    const outcomes = { ok: 0, rejected: 0, broken: 0 };
    const worker = async () => {
      while (!killed) {
        try {
          const reply = await request(fhir, { method: 'POST', json: freshBundle('minimal-bundle.json') });
          if (reply.status === 200 || reply.status === 201) outcomes.ok++;
          else outcomes.rejected++;
        } catch {
          outcomes.broken++; // connection reset by the kill, or refused after it
          await sleep(20);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await sleep(1200);
    const code = await first.stop('SIGKILL');
    killed = true;
    await Promise.all(workers);
    assert.equal(code, null, 'the gateway died from the signal');
    assert.equal(outcomes.rejected, 0, `no submission was rejected before the kill: ${JSON.stringify(outcomes)}`);
    assert.ok(outcomes.ok >= 8, `the load committed submissions before the kill: ${JSON.stringify(outcomes)}`);

    // Restart on the same DATA_DIR and database; it works and drains the outbox.
    const second = await start();
    const after = await request(`${second.baseUrl}/fhir`, { method: 'POST', json: freshBundle('minimal-bundle.json') });
    assert.ok(after.status === 200 || after.status === 201, `ITI-65 after restart: ${after.status} ${after.text}`);

    await waitFor(
      async () => {
        const [row] = await q<{ pending: number; failed: number; missing: number }>(
          `SELECT (SELECT count(*)::int FROM audit_outbox WHERE destination = $1 AND status = 'pending') AS pending,
                  (SELECT count(*)::int FROM audit_outbox WHERE destination = $1 AND status = 'failed') AS failed,
                  (SELECT count(*)::int FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_outbox o WHERE o.event_id = e.id AND o.destination = $1)) AS missing`,
          [DESTINATION],
        );
        assert.equal(row!.failed, 0, 'no outbox record failed');
        assert.equal(row!.missing, 0, 'every audit event has an outbox record for rsyslog');
        return row!.pending === 0;
      },
      30_000,
      'the outbox to drain',
    );

    // Every committed submission set has its successful ITI-65 audit event, naming it.
    const sets = await q<{ unique_id: string }>('SELECT unique_id FROM submission_sets');
    assert.ok(sets.length >= outcomes.ok + 1, `${sets.length} submission sets for ${outcomes.ok} + 1 acknowledged submissions`);
    const [{ n: iti65 }] = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE subtypes @> ARRAY['ITI-65'] AND outcome = '0'`)) as [{ n: number }];
    assert.equal(iti65, sets.length, 'one successful ITI-65 audit event per committed submission set');
    const unaudited = await q<{ unique_id: string }>(
      `SELECT s.unique_id FROM submission_sets s
        WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.subtypes @> ARRAY['ITI-65'] AND e.outcome = '0' AND strpos(e.resource::text, s.unique_id) > 0)`,
    );
    assert.deepEqual(unaudited, [], 'submission sets without their ITI-65 audit event');

    // Every audit event reached rsyslogd: the syslog TIMESTAMP is the event's recorded
    // instant, so per instant rsyslogd has at least as many messages as there are events
    // (at-least-once: a record claimed just before the kill may arrive twice).
    const events = await q<{ recorded: string }>(`SELECT resource->>'recorded' AS recorded FROM audit_events`);
    await rsyslog!.waitForCount(events.length, 20_000);
    await sleep(300); // let rsyslogd flush any line still being written
    const received = (await rsyslog!.messages()).map((m) => m.raw);
    assert.ok(received.length >= events.length, `rsyslogd got ${received.length} messages for ${events.length} audit events`);
    const atInstant = new Map<string, number>();
    for (const raw of received) {
      const ts = parseSyslog5424(raw).timestamp;
      atInstant.set(ts, (atInstant.get(ts) ?? 0) + 1);
    }
    const wanted = new Map<string, number>();
    for (const e of events) wanted.set(e.recorded, (wanted.get(e.recorded) ?? 0) + 1);
    const short = [...wanted].filter(([ts, n]) => (atInstant.get(ts) ?? 0) < n);
    assert.deepEqual(short, [], 'recorded instants with fewer syslog messages than audit events');
    // And each submission set's ITI-65 record, by its uniqueId in the DICOM XML.
    const notForwarded = sets.filter((s) => !received.some((raw) => raw.includes('ITI-65') && raw.includes(s.unique_id)));
    assert.deepEqual(notForwarded, [], 'submission sets whose ITI-65 record never reached rsyslogd');

    assert.equal(await second.stop(), 0);
  });
});
