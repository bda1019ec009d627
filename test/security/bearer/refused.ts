import assert from 'node:assert/strict';
import { TokenError, type TokenErrorCode } from '../../../src/security/bearer';

/** Asserts that `promise` rejects with a TokenError of `code` whose reason matches `reason`. */
export async function refused(promise: Promise<unknown>, code: TokenErrorCode, reason?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof TokenError, `expected a TokenError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (reason) assert.match(err.message, reason);
    return true;
  });
}
