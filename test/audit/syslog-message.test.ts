import assert from 'node:assert/strict';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import { auditSyslogMessage, headerField, octetCounted, priority, syslogHeader } from '../../src/audit/senders/syslog-message';
import { CONTEXT, createInput } from './support/fixtures';
import { parseSyslog5424 } from './support/rsyslog';
import { parseXml } from './support/xml';

describe('ITI-20 syslog message (RFC 5424 / 5425)', () => {
  it('PRI is facility 10 (authpriv) with severity by outcome', () => {
    assert.equal(priority('0'), 85);
    assert.equal(priority('4'), 84);
    assert.equal(priority('8'), 83);
    assert.equal(priority('12'), 82);
    assert.equal(priority(undefined), 85);
  });

  it('header: version 1, recorded timestamp, host, app, pid, MSGID IHE+RFC-3881, no structured data, the DICOM XML as MSG', () => {
    const event = buildAuditEvent(createInput({ outcome: '4', recorded: new Date('2026-03-01T10:00:00.5Z') }), CONTEXT);
    const msg = auditSyslogMessage(event, { header: syslogHeader('gw.test.example', 'hie-gateway', 4242), patientIdSystems: CONTEXT.patientIdSystems });
    const p = parseSyslog5424(msg.toString('utf8'));
    assert.deepEqual(
      { pri: p.pri, version: p.version, timestamp: p.timestamp, hostname: p.hostname, appName: p.appName, procId: p.procId, msgId: p.msgId, sd: p.sd },
      { pri: 84, version: '1', timestamp: '2026-03-01T10:00:00.500Z', hostname: 'gw.test.example', appName: 'hie-gateway', procId: '4242', msgId: 'IHE+RFC-3881', sd: '-' },
    );
    assert.ok(p.msg.startsWith('<?xml'), 'no BOM');
    assert.equal(parseXml(p.msg).nodeName, 'AuditMessage');
  });

  it('octet counting counts bytes, not characters', () => {
    const message = Buffer.from('<85>1 - - - - - - Mračena Mrakomorová', 'utf8');
    const framed = octetCounted(message).toString('utf8');
    const space = framed.indexOf(' ');
    assert.equal(Number(framed.slice(0, space)), message.length);
    assert.notEqual(message.length, message.toString('utf8').length);
    assert.equal(framed.slice(space + 1), message.toString('utf8'));
  });

  it('header fields are printable ASCII without spaces, bounded, nil when empty', () => {
    assert.equal(headerField('my host', 255), 'my_host');
    assert.equal(headerField('', 48), '-');
    assert.equal(headerField('x'.repeat(60), 48).length, 48);
    assert.equal(headerField('brána-č', 48), 'br_na-_');
  });
});
