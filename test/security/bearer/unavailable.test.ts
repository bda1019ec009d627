import assert from 'node:assert/strict';
import { BearerVerifier } from '../../../src/security/bearer';
import { startOidcProvider } from '../support/oidc-provider';
import { refused } from './refused';
import { closedPort, startStubIssuer, type StubIssuer } from './stub-issuer';

const AUD = 'urn:hie-gateway:test';
const claims = { sub: 'svc', client_id: 'svc', aud: AUD, scope: 'system/*.rs' };

describe('security/bearer: issuer unreachable -> unavailable (503), not invalid_token', () => {
  let stub: StubIssuer;
  beforeEach(async () => {
    stub = await startStubIssuer();
  });
  afterEach(() => stub.close());

  it('JWKS endpoint unreachable', async () => {
    const op = await startOidcProvider({ audience: AUD });
    const token = await op.token({ scope: 'system/*.rs' });
    await op.close();
    const verifier = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }], audiences: [AUD] });
    await refused(verifier.verify(token), 'unavailable', /ECONNREFUSED|connect/);
  });

  it('discovery unreachable', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const verifier = new BearerVerifier({ issuers: [{ issuer }], audiences: [AUD] });
    await refused(verifier.verify(await stub.sign({ ...claims, iss: issuer })), 'unavailable', /unreachable/);
  });

  it('discovery failing is retried, then cached once it works', async () => {
    stub.failDiscovery = [503, 500];
    const verifier = new BearerVerifier({ issuers: [{ issuer: stub.issuer }], audiences: [AUD] });
    const token = await stub.sign(claims);
    await refused(verifier.verify(token), 'unavailable', /503/);
    await refused(verifier.verify(token), 'unavailable', /500/);
    assert.equal((await verifier.verify(token)).subject, 'svc');
    await verifier.verify(await stub.sign({ ...claims, sub: 'other' }));
    assert.deepEqual(stub.counts, { discovery: 3, jwks: 1 });
  });

  it('concurrent first tokens share one discovery request', async () => {
    const verifier = new BearerVerifier({ issuers: [{ issuer: stub.issuer }], audiences: [AUD] });
    const tokens = await Promise.all([1, 2, 3, 4].map((n) => stub.sign({ ...claims, sub: `svc-${n}` })));
    await Promise.all(tokens.map((t) => verifier.verify(t)));
    assert.equal(stub.counts.discovery, 1);
  });

  it('a discovery document naming another issuer is not trusted', async () => {
    stub.discoveryIssuer = 'https://evil.example';
    const verifier = new BearerVerifier({ issuers: [{ issuer: stub.issuer }], audiences: [AUD] });
    await refused(verifier.verify(await stub.sign(claims)), 'unavailable', /names issuer/);
  });

  it('JWKS answering an error', async () => {
    stub.jwksStatus = 500;
    const verifier = new BearerVerifier({ issuers: [{ issuer: stub.issuer, jwksUri: stub.jwksUri }], audiences: [AUD] });
    await refused(verifier.verify(await stub.sign(claims)), 'unavailable', /200 OK/);
  });

  it('introspection endpoint unreachable', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}/token/introspection`;
    const verifier = new BearerVerifier({ issuers: [], audiences: [AUD], introspection: { endpoint, clientId: 'rs', clientSecret: 's' } });
    await refused(verifier.verify('opaque-token-value'), 'unavailable', /unreachable/);
  });

  it('keys already fetched keep working while the issuer is down', async () => {
    const op = await startOidcProvider({ audience: AUD });
    const verifier = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }], audiences: [AUD] });
    const [first, second] = await Promise.all([op.token({ scope: 'system/*.rs' }), op.token({ scope: 'system/*.cruds' })]);
    await verifier.verify(first);
    await op.close();
    assert.deepEqual((await verifier.verify(second)).scopes, ['system/*.cruds']);
  });
});
