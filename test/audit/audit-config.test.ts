import assert from 'node:assert/strict';
import { parseAuditConfig } from '../../src/audit/audit-config';
import { loadConfig } from '../../src/config';

const HCID = 'urn:oid:1.2.203.999';

describe('audit configuration', () => {
  it('defaults: no destinations, source from the host, site from the home community id', () => {
    const c = parseAuditConfig({ AUDIT_HOSTNAME: 'gw1' }, { homeCommunityId: HCID });
    assert.deepEqual(c.destinations, []);
    assert.equal(c.sourceId, 'hie-gateway@gw1');
    assert.equal(c.enterpriseSiteId, '1.2.203.999');
    assert.equal(c.appName, 'hie-gateway');
    assert.equal(c.batchSize, 500);
    assert.equal(c.sentRetentionMs, 24 * 3_600_000);
    assert.deepEqual(loadConfig({ AUTH: 'off' }).audit.destinations, []);
  });

  it('destinations: lists, optional names, IPv6, FHIR URLs', () => {
    const c = parseAuditConfig(
      {
        AUDIT_SYSLOG_TLS: 'arr1=arr.example:6514, [::1]:6515',
        AUDIT_SYSLOG_UDP: '10.0.0.5:514',
        AUDIT_FHIR_URL: 'national=https://arr.example/fhir/',
        AUDIT_TLS_CA: '/etc/ca.pem',
        AUDIT_TLS_CERT: '/etc/c.pem',
        AUDIT_TLS_KEY: '/etc/k.pem',
      },
      { homeCommunityId: HCID },
    );
    assert.deepEqual(c.destinations, [
      { kind: 'syslog-tls', name: 'arr1', host: 'arr.example', port: 6514 },
      { kind: 'syslog-tls', name: 'syslog-tls:::1:6515', host: '::1', port: 6515 },
      { kind: 'syslog-udp', name: 'syslog-udp:10.0.0.5:514', host: '10.0.0.5', port: 514 },
      { kind: 'fhir', name: 'national', url: 'https://arr.example/fhir' },
    ]);
    assert.deepEqual(c.tls, { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/k.pem' });
  });

  it('refuses what would fail later: bad addresses, duplicate names, a certificate without its key, bad numbers', () => {
    const parse = (env: Record<string, string>) => () => parseAuditConfig(env, { homeCommunityId: HCID });
    assert.throws(parse({ AUDIT_SYSLOG_TLS: 'arr.example' }), /AUDIT_SYSLOG_TLS/);
    assert.throws(parse({ AUDIT_SYSLOG_UDP: 'h:70000' }), /AUDIT_SYSLOG_UDP/);
    assert.throws(parse({ AUDIT_FHIR_URL: 'ftp://x' }), /AUDIT_FHIR_URL/);
    assert.throws(parse({ AUDIT_SYSLOG_TLS: 'a=h:1', AUDIT_SYSLOG_UDP: 'a=h:2' }), /used twice/);
    assert.throws(parse({ AUDIT_TLS_CERT: '/c.pem' }), /go together/);
    assert.throws(parse({ AUDIT_BATCH_SIZE: '0' }), /AUDIT_BATCH_SIZE/);
    assert.throws(() => loadConfig({ AUTH: 'off', AUDIT_SYSLOG_TLS: 'nonsense' }), /AUDIT_SYSLOG_TLS/);
  });
});
