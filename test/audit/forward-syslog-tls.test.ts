// ITI-20 over TLS syslog to a real rsyslogd (rsyslog-gnutls), started here with a CA and
// certificates generated for the run.
import assert from 'node:assert/strict';
import type { AuditInput } from '../../src/audit/audit-input';
import { tableRowsOf } from '../../src/store/sql/store-handles';
import { insertTables } from '../../src/store/sql/table-rows';
import { freePort } from '../support/gateway-process';
import { createTestPki, type TestPki } from './support/certs';
import { startAuditHarness, waitFor, type AuditHarness } from './support/audit-harness';
import { CLINICIAN, createInput } from './support/fixtures';
import { needRsyslog, parseSyslog5424, startRsyslog, type RsyslogServer } from './support/rsyslog';
import { attrs, children, parseXml } from './support/xml';

/** The patient CX each received message names (every fixture input has its own patient). */
function patientOf(xml: string): string {
  const root = parseXml(xml);
  const patient = children(root, 'ParticipantObjectIdentification').find((p) => attrs(p).ParticipantObjectTypeCodeRole === '1');
  return attrs(patient!).ParticipantObjectID!;
}

describe('audit forwarding over TLS syslog to rsyslogd', function () {
  this.timeout(60_000);
  let bin: string;
  let pki: TestPki;
  const cleanups: Array<() => Promise<void>> = [];

  before(async function () {
    bin = needRsyslog(this);
    pki = await createTestPki();
  });
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  after(async () => {
    await pki?.cleanup();
  });

  async function rsyslog(authMode: 'anon' | 'x509/certvalid', port?: number): Promise<RsyslogServer> {
    const server = await startRsyslog(bin, { caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, authMode, ...(port ? { port } : {}) });
    cleanups.push(() => server.stop());
    return server;
  }

  async function harness(env: Record<string, string>, shared?: AuditHarness): Promise<AuditHarness> {
    const h = await startAuditHarness(env, shared?.db);
    cleanups.unshift(() => h.close()); // closed before the servers it talks to
    return h;
  }

  it('events recorded in the outbox arrive as RFC 5424 messages in octet-counted frames, with the DICOM XML', async () => {
    const server = await rsyslog('anon');
    const h = await harness({ AUDIT_SYSLOG_TLS: `rsyslog=127.0.0.1:${server.port}`, AUDIT_TLS_CA: pki.caFile });
    const inputs: AuditInput[] = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 0 ? createInput({ transaction: 'ITI-41', outcome: '8', outcomeDesc: 'Pacient nebyl nalezen – žádost zamítnuta' }) : createInput(),
    );
    // One statement for all of them, so the forwarder finds them in one batch: one write of 200 frames.
    await insertTables(h.db, tableRowsOf(h.audit.trail.rows(inputs)));

    const received = await server.waitForMessages(200);
    assert.equal(received.length, 200, 'exactly one message per frame: the framing split them right');
    const byPatient = new Map(received.map((m) => [patientOf(parseSyslog5424(m.raw).msg), m]));
    for (const input of inputs) {
      const m = byPatient.get(input.patientId!);
      assert.ok(m, `message for ${input.patientId}`);
      const p = parseSyslog5424(m.raw);
      const failed = input.outcome === '8';
      assert.equal(p.pri, failed ? 83 : 85);
      assert.equal(m.pri, failed ? '83' : '85');
      assert.deepEqual([m.appName, m.msgId, m.hostname, m.procId], ['hie-gateway', 'IHE+RFC-3881', 'gw.test.example', String(process.pid)]);
      const root = parseXml(p.msg);
      const ev = children(root, 'EventIdentification')[0]!;
      assert.equal(attrs(children(ev, 'EventTypeCode')[0]!)['csd-code'], input.transaction);
      assert.equal(attrs(ev).EventOutcomeIndicator, input.outcome);
      if (failed) assert.equal(children(ev, 'EventOutcomeDescription')[0]!.textContent, 'Pacient nebyl nalezen – žádost zamítnuta');
    }
    await waitFor(async () => (await h.statuses()).sent === 200, 10_000, 'all outbox rows sent');
    const [health] = await h.audit.health();
    assert.deepEqual([health!.destination, health!.pending, health!.failed], ['rsyslog', 0, 0]);
  });

  it('a dead repository leaves records pending and retried; they are delivered when it comes up, none lost', async () => {
    const port = await freePort();
    const h = await harness({ AUDIT_SYSLOG_TLS: `rsyslog=127.0.0.1:${port}`, AUDIT_TLS_CA: pki.caFile });
    const inputs = Array.from({ length: 25 }, () => createInput());
    for (const input of inputs) await h.audit.trail.record(input);

    await waitFor(async () => {
      const r = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_outbox WHERE status = 'pending' AND attempts >= 2");
      return r.rows[0]!.n === 25;
    }, 10_000, 'two failed attempts per record');
    const [down] = await h.audit.health();
    assert.equal(down!.pending, 25);
    assert.match(down!.lastError ?? '', /ECONNREFUSED/);

    const server = await rsyslog('anon', port);
    const received = await server.waitForMessages(25);
    assert.deepEqual(new Set(received.map((m) => patientOf(parseSyslog5424(m.raw).msg))), new Set(inputs.map((i) => i.patientId)));
    await waitFor(async () => (await h.statuses()).sent === 25, 10_000, 'all sent');
    const [up] = await h.audit.health();
    assert.equal(up!.pending, 0);
    assert.ok(up!.lastSentAt);
  });

  it('a server certificate from another CA is refused: records stay pending', async () => {
    const server = await rsyslog('anon');
    // Trusting only the stranger CA: the real server's certificate does not verify.
    const h = await harness({ AUDIT_SYSLOG_TLS: `rsyslog=127.0.0.1:${server.port}`, AUDIT_TLS_CA: pki.strangerCaFile });
    await h.audit.trail.record(createInput());
    await waitFor(async () => !!(await h.audit.health())[0]?.lastError, 10_000, 'a TLS error');
    const [health] = await h.audit.health();
    assert.equal(health!.pending, 1);
    assert.match(health!.lastError!, /certificate|verify|self.signed|issuer/i);
    assert.deepEqual(await server.messages(), []);
  });

  it('client certificate: a server requiring one gets nothing without it or with an untrusted one, and everything with ours', async () => {
    const server = await rsyslog('x509/certvalid');
    const target = (name: string) => ({ AUDIT_SYSLOG_TLS: `${name}=127.0.0.1:${server.port}`, AUDIT_TLS_CA: pki.caFile });

    const without = await harness(target('without'));
    await without.audit.trail.record(createInput({ principal: CLINICIAN }));
    await waitFor(async () => !!(await without.audit.health())[0]?.lastError, 10_000, 'refusal without a certificate');
    assert.equal((await without.audit.health())[0]!.pending, 1);

    const stranger = await harness({ ...target('stranger'), AUDIT_TLS_CERT: pki.strangerCertFile, AUDIT_TLS_KEY: pki.strangerKeyFile }, without);
    await stranger.audit.trail.record(createInput());
    await waitFor(async () => !!(await stranger.audit.health())[0]?.lastError, 10_000, 'refusal of an untrusted certificate');
    assert.equal((await stranger.audit.health())[0]!.pending, 1);
    assert.deepEqual(await server.messages(), [], 'nothing got through without a trusted client certificate');

    const ours = await harness({ ...target('ours'), AUDIT_TLS_CERT: pki.clientCertFile, AUDIT_TLS_KEY: pki.clientKeyFile }, without);
    const input = createInput();
    await ours.audit.trail.record(input);
    const [m] = await server.waitForMessages(1);
    assert.equal(patientOf(parseSyslog5424(m!.raw).msg), input.patientId);
    await waitFor(async () => (await ours.statuses()).sent === 1, 10_000, 'sent');
    assert.equal((await without.statuses()).pending, 1, 'the refused records are still waiting');
    assert.equal((await stranger.statuses()).pending, 1);
    assert.equal((await server.messages()).length, 1);
  });
});
