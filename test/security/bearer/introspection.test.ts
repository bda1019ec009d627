import assert from 'node:assert/strict';
import { BearerVerifier } from '../../../src/security/bearer';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { refused } from './refused';

describe('security/bearer: opaque tokens by RFC 7662 introspection', () => {
  let op: TestOidcProvider;
  let verifier: BearerVerifier;

  before(async () => {
    op = await startOidcProvider();
    verifier = new BearerVerifier({
      issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }],
      audiences: [op.audience],
      introspection: { endpoint: op.introspectionEndpoint, ...op.introspectionClient },
      cacheSeconds: 0,
    });
  });
  after(() => op.close());

  it('maps an active token like a JWT', async () => {
    const token = await op.token({ clientId: op.clients.patientApp.clientId, scope: 'patient/*.rs', patient: '7001011234', purposeOfUse: { system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'PATRQT' }, opaque: true });
    assert.equal(token.split('.').length, 1, 'opaque');
    const before = op.requestCounts().introspection;
    const identity = await verifier.verify(token);
    assert.equal(op.requestCounts().introspection, before + 1);
    assert.equal(identity.issuer, op.issuer);
    assert.equal(identity.subject, op.clients.patientApp.clientId);
    assert.equal(identity.clientId, op.clients.patientApp.clientId);
    assert.deepEqual(identity.scopes, ['patient/*.rs']);
    assert.equal(identity.patient, '7001011234');
    assert.deepEqual(identity.purposeOfUse, [{ system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'PATRQT' }]);
    assert.ok(identity.expiresAt && identity.expiresAt.getTime() > Date.now());
  });

  it('refuses a revoked token and one the server does not know', async () => {
    const token = await op.token({ scope: 'system/*.rs', opaque: true });
    await verifier.verify(token);
    await op.revoke(token);
    await refused(verifier.verify(token), 'invalid_token', /not active/);
    await refused(verifier.verify('NotATokenTheServerIssued'), 'invalid_token', /not active/);
  });

  it('refuses an active token issued for another audience', async () => {
    const token = await op.token({ scope: 'system/*.rs', opaque: true, resource: 'https://other-service.example/fhir' });
    await refused(verifier.verify(token), 'invalid_token', /audience/);
  });

  it('refuses a token the server reports expired, and applies our clock to exp', async () => {
    const token = await op.token({ scope: 'system/*.rs', opaque: true, ttlSeconds: 60 });
    const later = new BearerVerifier({ issuers: [], audiences: [op.audience], introspection: { endpoint: op.introspectionEndpoint, ...op.introspectionClient }, now: () => new Date(Date.now() + 120_000) });
    await refused(later.verify(token), 'invalid_token', /expired/);
  });

  it('sends JWTs to introspection too when no issuer is trusted directly', async () => {
    const introspectOnly = new BearerVerifier({ issuers: [], audiences: [op.audience], introspection: { endpoint: op.introspectionEndpoint, ...op.introspectionClient } });
    const before = op.requestCounts();
    // oidc-provider will not introspect its own JWT access tokens (400 unsupported_token_type):
    // the server refuses to vouch for the token, so it is refused, not "unavailable".
    await refused(introspectOnly.verify(await op.token({ scope: 'system/*.rs' })), 'invalid_token', /unsupported_token_type/);
    assert.equal(op.requestCounts().introspection, before.introspection + 1);
    assert.equal(op.requestCounts().jwks, before.jwks);
  });

  it('answers unavailable when the gateway\'s own client credentials are refused', async () => {
    const wrongSecret = new BearerVerifier({ issuers: [], audiences: [op.audience], introspection: { endpoint: op.introspectionEndpoint, clientId: op.introspectionClient.clientId, clientSecret: 'wrong' } });
    await refused(wrongSecret.verify(await op.token({ scope: 'system/*.rs', opaque: true })), 'unavailable', /401/);
  });
});
