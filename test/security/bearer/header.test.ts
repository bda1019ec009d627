import assert from 'node:assert/strict';
import { bearerTokenOf, TokenError } from '../../../src/security/bearer';

describe('security/bearer: bearerTokenOf', () => {
  it('returns the token of a Bearer header, scheme in any case', () => {
    assert.equal(bearerTokenOf('Bearer abc.def-ghi_jkl~mno+p/q=='), 'abc.def-ghi_jkl~mno+p/q==');
    assert.equal(bearerTokenOf('bearer xyz'), 'xyz');
    assert.equal(bearerTokenOf('BEARER   xyz  '), 'xyz');
  });

  it('returns undefined without a header or for another scheme', () => {
    assert.equal(bearerTokenOf(undefined), undefined);
    assert.equal(bearerTokenOf(''), undefined);
    assert.equal(bearerTokenOf('Basic dXNlcjpwYXNz'), undefined);
    assert.equal(bearerTokenOf('Negotiate abc'), undefined);
    assert.equal(bearerTokenOf('Bearerish abc'), undefined);
  });

  for (const header of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Bearer "abc"', 'Bearer ab=c', 'Bearer ä']) {
    it(`refuses the malformed header ${JSON.stringify(header)}`, () => {
      assert.throws(
        () => bearerTokenOf(header),
        (err: unknown) => err instanceof TokenError && err.code === 'invalid_token',
      );
    });
  }
});
