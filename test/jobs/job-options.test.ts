import assert from 'node:assert/strict';
import { jobIdForKey } from '../../src/jobs/bullmq-queue';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  backoffDelayMs,
  errorMessage,
  jsonPayload,
  resolveEnqueueOptions,
} from '../../src/jobs/job-options';

describe('job options', () => {
  it('backoff doubles per failed attempt, starting at backoffMs', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelayMs(n, 100)), [100, 200, 400, 800]);
    assert.equal(backoffDelayMs(3, 0), 0);
  });

  it('fills defaults and keeps given values', () => {
    assert.deepEqual(resolveEnqueueOptions(), {
      idempotencyKey: undefined,
      delayMs: 0,
      attempts: DEFAULT_ATTEMPTS,
      backoffMs: DEFAULT_BACKOFF_MS,
      keepResultMs: 0,
    });
    assert.deepEqual(resolveEnqueueOptions({ idempotencyKey: 'k', delayMs: 5, attempts: 1, backoffMs: 0, keepResultMs: 60_000 }), {
      idempotencyKey: 'k',
      delayMs: 5,
      attempts: 1,
      backoffMs: 0,
      keepResultMs: 60_000,
    });
  });

  it('rejects non-integer and out-of-range values', () => {
    for (const bad of [{ attempts: 0 }, { attempts: 2.5 }, { delayMs: -1 }, { backoffMs: Number.NaN }, { idempotencyKey: '' }, { keepResultMs: -1 }]) {
      assert.throws(() => resolveEnqueueOptions(bad), RangeError, JSON.stringify(bad));
    }
  });

  it('payloads come back as their JSON form; non-JSON payloads are refused', () => {
    const original = { a: [1, { b: 'c' }], d: new Date(0) };
    const copy = jsonPayload(original);
    assert.deepEqual(copy, { a: [1, { b: 'c' }], d: '1970-01-01T00:00:00.000Z' });
    assert.notEqual(copy.a, original.a);
    assert.throws(() => jsonPayload(undefined), TypeError);
    assert.throws(() => jsonPayload({ n: 1n }), TypeError);
  });

  it('error messages of Errors and of other thrown values', () => {
    assert.equal(errorMessage(new Error('x')), 'x');
    assert.equal(errorMessage('y'), 'y');
    assert.equal(errorMessage(42), '42');
  });

  it('maps idempotency keys to BullMQ ids one-to-one, without ":" and never all digits', () => {
    const keys = ['urn:uuid:1', 'urn%3Auuid%3A1', '42', 'key-42', 'a:b:c'];
    const ids = keys.map(jobIdForKey);
    assert.equal(new Set(ids).size, keys.length);
    for (const id of ids) {
      assert.ok(!id.includes(':'), id);
      assert.ok(!/^\d+$/.test(id), id);
    }
  });
});
