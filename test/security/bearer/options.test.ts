import assert from 'node:assert/strict';
import { BearerVerifier, DEFAULT_ALGORITHMS } from '../../../src/security/bearer';

const issuers = [{ issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks' }];

describe('security/bearer: options', () => {
  it('needs an audience', () => {
    assert.throws(() => new BearerVerifier({ issuers, audiences: [] }), /audiences/);
  });

  it('needs trusted issuers or an introspection endpoint', () => {
    assert.throws(() => new BearerVerifier({ issuers: [], audiences: ['urn:a'] }), /issuers or an introspection/);
    assert.doesNotThrow(() => new BearerVerifier({ issuers: [], audiences: ['urn:a'], introspection: { endpoint: 'https://idp.example/introspect', clientId: 'c', clientSecret: 's' } }));
  });

  for (const algorithms of [['none'], ['HS256'], ['RS256', 'hs512'], []]) {
    it(`refuses algorithms ${JSON.stringify(algorithms)}`, () => {
      assert.throws(() => new BearerVerifier({ issuers, audiences: ['urn:a'], algorithms }), /algorithms/);
    });
  }

  it('defaults to asymmetric algorithms only', () => {
    assert.ok(DEFAULT_ALGORITHMS.every((a) => !/^HS|none/i.test(a)));
  });

  it('refuses malformed and duplicate issuers', () => {
    assert.throws(() => new BearerVerifier({ issuers: [{ issuer: 'not a url' }], audiences: ['urn:a'] }), /not a URL/);
    assert.throws(() => new BearerVerifier({ issuers: [...issuers, ...issuers], audiences: ['urn:a'] }), /twice/);
  });
});
