import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { BearerVerifier, type BearerOptions } from '../../../src/security/bearer';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { refused } from './refused';

/** Counts the verifications that got past the cache (signature checks / introspection calls). */
function countUncached(verifier: BearerVerifier): { calls: number } {
  const counter = { calls: 0 };
  for (const inner of [verifier['jwt'], verifier['introspector']]) {
    if (!inner) continue;
    const original = inner.verify.bind(inner);
    inner.verify = (token: string) => {
      counter.calls += 1;
      return original(token);
    };
  }
  return counter;
}

describe('security/bearer: cache of verified tokens', () => {
  let op: TestOidcProvider;
  let clock: number;
  const verifierFor = (more: Partial<BearerOptions> = {}) =>
    new BearerVerifier({ issuers: [{ issuer: op.issuer }], audiences: [op.audience], introspection: { endpoint: op.introspectionEndpoint, ...op.introspectionClient }, now: () => new Date(clock), ...more });

  before(async () => {
    op = await startOidcProvider();
  });
  beforeEach(() => {
    clock = Date.now();
  });
  after(() => op.close());

  it('verifies a token once: the second time costs no request and no signature check', async () => {
    const verifier = verifierFor();
    const uncached = countUncached(verifier);
    const token = await op.token({ scope: 'system/*.rs', patient: 'p1' });
    const before = op.requestCounts();
    const first = await verifier.verify(token);
    const afterFirst = op.requestCounts();
    assert.equal(afterFirst.discovery, before.discovery + 1);
    assert.equal(afterFirst.jwks, before.jwks + 1);
    assert.equal(uncached.calls, 1);

    const second = await verifier.verify(token);
    assert.deepEqual(second, first);
    assert.deepEqual(op.requestCounts(), afterFirst);
    assert.equal(uncached.calls, 1);
  });

  it('hands out copies: a caller changing its identity does not change the cached one', async () => {
    const verifier = verifierFor();
    const token = await op.token({ scope: 'system/*.rs' });
    const first = await verifier.verify(token);
    first.scopes.push('system/*.cruds');
    first.subject = 'someone-else';
    const second = await verifier.verify(token);
    assert.deepEqual(second.scopes, ['system/*.rs']);
    assert.equal(second.subject, op.clients.system.clientId);
  });

  it('never returns a cached identity after the token expired', async () => {
    const verifier = verifierFor({ clockToleranceSeconds: 0, cacheSeconds: 3600 });
    const uncached = countUncached(verifier);
    const token = await op.token({ scope: 'system/*.rs', ttlSeconds: 30 });
    const exp = decodeJwt(token).exp as number;
    await verifier.verify(token);
    clock = exp * 1000 - 1000;
    await verifier.verify(token);
    assert.equal(uncached.calls, 1, 'still cached one second before exp');
    clock = exp * 1000;
    await refused(verifier.verify(token), 'invalid_token', /"exp"/);
    assert.equal(uncached.calls, 2, 'the cache let it through to verification, which refused it');
  });

  it('keeps an entry cacheSeconds at most', async () => {
    const verifier = verifierFor({ cacheSeconds: 60 });
    const uncached = countUncached(verifier);
    const token = await op.token({ scope: 'system/*.rs', ttlSeconds: 3600 });
    await verifier.verify(token);
    clock += 59_000;
    await verifier.verify(token);
    assert.equal(uncached.calls, 1);
    clock += 2_000;
    await verifier.verify(token);
    assert.equal(uncached.calls, 2);
  });

  it('is bounded: the least recently used entry goes first', async () => {
    const verifier = verifierFor({ cacheEntries: 2 });
    const uncached = countUncached(verifier);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => op.token({ scope: 'system/*.rs' })));
    await verifier.verify(a!);
    await verifier.verify(b!);
    await verifier.verify(a!); // a is now the most recently used
    await verifier.verify(c!); // evicts b
    assert.equal(uncached.calls, 3);
    await verifier.verify(a!);
    await verifier.verify(c!);
    assert.equal(uncached.calls, 3);
    await verifier.verify(b!);
    assert.equal(uncached.calls, 4);
  });

  it('caches introspection answers too (a revocation is seen after cacheSeconds at most)', async () => {
    const verifier = verifierFor({ cacheSeconds: 30 });
    const token = await op.token({ scope: 'system/*.rs', opaque: true });
    await verifier.verify(token);
    const afterFirst = op.requestCounts().introspection;
    await op.revoke(token);
    await verifier.verify(token);
    assert.equal(op.requestCounts().introspection, afterFirst, 'answered from the cache');
    clock += 31_000;
    await refused(verifier.verify(token), 'invalid_token', /not active/);
  });

  it('does not cache refusals', async () => {
    const verifier = verifierFor();
    const uncached = countUncached(verifier);
    const token = await op.token({ scope: 'system/*.rs', resource: 'https://other-service.example/fhir' });
    await refused(verifier.verify(token), 'invalid_token');
    await refused(verifier.verify(token), 'invalid_token');
    assert.equal(uncached.calls, 2);
  });
});
