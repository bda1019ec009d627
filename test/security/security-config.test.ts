import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseSecurityConfig } from '../../src/security/security-config';

describe('security: configuration', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sec-config-'));
    // Not a real certificate: only the PEM armour is read at configuration time.
    await writeFile(path.join(dir, 'idp.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await writeFile(path.join(dir, 'empty.pem'), 'nothing here\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs without authentication on loopback by default, and refuses AUTH=off elsewhere', () => {
    assert.equal(parseSecurityConfig({}, '127.0.0.1').auth, 'off');
    assert.equal(parseSecurityConfig({}, '::1').auth, 'off');
    assert.throws(() => parseSecurityConfig({ AUTH: 'off' }, '0.0.0.0'), /only allowed while HOST is loopback/);
  });

  it('refuses AUTH=on without any mechanism, on any interface', () => {
    assert.throws(() => parseSecurityConfig({}, '10.0.0.5'), /needs at least one way to authenticate/);
    assert.throws(() => parseSecurityConfig({ AUTH: 'on' }, '127.0.0.1'), /needs at least one way to authenticate/);
  });

  it('reads issuers with and without a JWKS URI, and insists on an audience', () => {
    const c = parseSecurityConfig({ AUTH: 'on', OAUTH_ISSUERS: 'https://idp.example/realms/a, https://idp.example/realms/b|https://idp.example/b/jwks', OAUTH_AUDIENCE: 'https://gw.example/fhir' }, '0.0.0.0');
    assert.deepEqual(c.oauth?.issuers, [{ issuer: 'https://idp.example/realms/a' }, { issuer: 'https://idp.example/realms/b', jwksUri: 'https://idp.example/b/jwks' }]);
    assert.deepEqual(c.oauth?.audiences, ['https://gw.example/fhir']);
    assert.throws(() => parseSecurityConfig({ OAUTH_ISSUERS: 'https://idp.example' }, '0.0.0.0'), /OAUTH_AUDIENCE is required/);
    assert.throws(() => parseSecurityConfig({ OAUTH_ISSUERS: 'ftp://idp.example', OAUTH_AUDIENCE: 'x' }, '0.0.0.0'), /not an http\(s\) URL/);
    assert.throws(() => parseSecurityConfig({ OAUTH_INTROSPECTION_URL: 'https://idp.example/introspect', OAUTH_AUDIENCE: 'x' }, '0.0.0.0'), /CLIENT_ID and OAUTH_INTROSPECTION_CLIENT_SECRET/);
  });

  it('reads trusted IdP certificates from PEM files and refuses a file without one', () => {
    const c = parseSecurityConfig({ XUA_TRUSTED_CERTS: path.join(dir, 'idp.pem'), XUA_AUDIENCE: 'urn:gw' }, '0.0.0.0');
    assert.equal(c.xua?.trustedCertificates.length, 1);
    assert.deepEqual(c.xua?.audiences, ['urn:gw']);
    assert.throws(() => parseSecurityConfig({ XUA_TRUSTED_CERTS: path.join(dir, 'empty.pem') }, '0.0.0.0'), /holds no PEM certificate/);
    assert.throws(() => parseSecurityConfig({ XUA_TRUSTED_CERTS: path.join(dir, 'missing.pem') }, '0.0.0.0'), /cannot read/);
  });

  it('needs certificate and key together, and a client CA for a CRL', () => {
    const pem = path.join(dir, 'idp.pem');
    assert.throws(() => parseSecurityConfig({ TLS_CERT: pem }, '127.0.0.1'), /TLS_CERT and TLS_KEY/);
    assert.throws(() => parseSecurityConfig({ TLS_CERT: pem, TLS_KEY: pem, TLS_CRL: pem }, '127.0.0.1'), /TLS_CRL needs TLS_CLIENT_CA/);
    assert.ok(parseSecurityConfig({ TLS_CERT: pem, TLS_KEY: pem, TLS_CLIENT_CA: pem }, '0.0.0.0').tls?.clientCaFile);
  });

  it('limits 100 requests a second per client by default; RATE_LIMIT=off lifts it', () => {
    assert.deepEqual(parseSecurityConfig({}, '127.0.0.1').rateLimit, { perSecond: 100, burst: 200 });
    assert.deepEqual(parseSecurityConfig({ RATE_LIMIT: '5', RATE_LIMIT_BURST: '7' }, '127.0.0.1').rateLimit, { perSecond: 5, burst: 7 });
    assert.equal(parseSecurityConfig({ RATE_LIMIT: 'off' }, '127.0.0.1').rateLimit, undefined);
    assert.throws(() => parseSecurityConfig({ RATE_LIMIT: 'lots' }, '127.0.0.1'), /RATE_LIMIT/);
  });

  it('allows emergency access only when asked to', () => {
    assert.equal(parseSecurityConfig({}, '127.0.0.1').emergencyAccess, false);
    assert.equal(parseSecurityConfig({ EMERGENCY_ACCESS: 'allow' }, '127.0.0.1').emergencyAccess, true);
  });
});
