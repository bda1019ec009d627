/** Assertions shared by the XUA suites. */
import assert from 'node:assert/strict';
import { XuaError } from '../../../src/security/saml';

/**
 * `fn` must throw an XuaError whose reason matches `reason`: checking the reason (not just "it
 * threw") proves the intended defence fired, not some earlier accident.
 */
export function assertRejected(fn: () => unknown, reason: RegExp): XuaError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof XuaError, `expected an XuaError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  assert.match(caught.reason, reason);
  assert.equal(caught.message, caught.reason);
  return caught;
}
