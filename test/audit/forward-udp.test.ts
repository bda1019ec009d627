// ITI-20 over UDP syslog (RFC 5426) to a node dgram listener.
import assert from 'node:assert/strict';
import { startAuditHarness, waitFor, type AuditHarness } from './support/audit-harness';
import { createInput } from './support/fixtures';
import { startUdpReceiver, type UdpReceiver } from './support/receivers';
import { parseSyslog5424 } from './support/rsyslog';
import { attrs, children, parseXml } from './support/xml';

describe('audit forwarding over UDP syslog', () => {
  let receiver: UdpReceiver;
  let h: AuditHarness;

  beforeEach(async () => {
    receiver = await startUdpReceiver();
  });
  afterEach(async () => {
    await h?.close();
    await receiver.close();
  });

  it('one complete RFC 5424 message per datagram, no framing', async () => {
    h = await startAuditHarness({ AUDIT_SYSLOG_UDP: `udp=127.0.0.1:${receiver.port}` });
    const inputs = Array.from({ length: 20 }, () => createInput());
    for (const input of inputs) await h.audit.trail.record(input);
    const datagrams = await receiver.waitFor(20);
    const patients = datagrams.map((d) => {
      const text = d.toString('utf8');
      assert.ok(text.startsWith('<85>1 '), 'starts with PRI: no octet count on UDP');
      const p = parseSyslog5424(text);
      assert.equal(p.msgId, 'IHE+RFC-3881');
      const root = parseXml(p.msg);
      return attrs(children(root, 'ParticipantObjectIdentification')[0]!).ParticipantObjectID;
    });
    assert.deepEqual(new Set(patients), new Set(inputs.map((i) => i.patientId)));
    await waitFor(async () => (await h.statuses()).sent === 20, 10_000, 'all sent');
  });

  it('a message over the size limit is not truncated: it is kept as failed and reported', async () => {
    h = await startAuditHarness({ AUDIT_SYSLOG_UDP: `udp=127.0.0.1:${receiver.port}`, AUDIT_SYSLOG_UDP_MAX_BYTES: '4000' });
    await h.audit.trail.record(createInput());
    await h.audit.trail.record({ ...createInput({ transaction: 'ITI-67' }), query: { text: 'x'.repeat(6000) } });
    await receiver.waitFor(1);
    await waitFor(async () => (await h.statuses()).failed === 1, 10_000, 'the large one failed');
    const [health] = await h.audit.health();
    assert.equal(health!.failed, 1);
    assert.match(health!.lastError!, /exceeds the UDP limit of 4000/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.datagrams.length, 1);
    assert.ok(receiver.datagrams[0]!.length <= 4000);
  });
});
