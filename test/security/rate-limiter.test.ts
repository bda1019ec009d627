import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/security/rate-limiter';

describe('security: rate limiter', () => {
  it('allows a burst, then refuses with the seconds until a request is allowed again', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, 10, () => now);
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('a'), { allowed: true });
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
    assert.deepEqual(limiter.take('b'), { allowed: true }, 'clients have buckets of their own');
    now = 500; // half a second refills one token at 2/s
    assert.deepEqual(limiter.take('a'), { allowed: true });
    assert.equal(limiter.take('a').allowed, false);
  });

  it('refills no more than the burst', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 100, burst: 2 }, 10, () => now);
    limiter.take('a');
    now = 60_000;
    assert.ok(limiter.take('a').allowed && limiter.take('a').allowed);
    assert.equal(limiter.take('a').allowed, false);
  });

  it('forgets the least recently seen client when full, which then starts with a full bucket', () => {
    const now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, 2, () => now);
    limiter.take('a');
    limiter.take('b');
    assert.equal(limiter.take('a').allowed, false); // a is now the most recent
    limiter.take('c'); // evicts b, the least recently seen
    assert.equal(limiter.take('a').allowed, false, 'a was not evicted: it was touched after b');
    assert.equal(limiter.take('b').allowed, true, 'b was forgotten and starts again');
  });

  it('refuses a limit that would let nothing or everything through', () => {
    assert.throws(() => new RateLimiter({ perSecond: 0, burst: 1 }));
    assert.throws(() => new RateLimiter({ perSecond: 1, burst: 0 }));
  });
});
