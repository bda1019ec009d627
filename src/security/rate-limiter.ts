/**
 * Per-client token buckets: each client may send `perSecond` requests a second on average
 * and `burst` at once. Kept in this process's memory: several gateway processes each allow
 * the rate, which bounds the load a client makes on one process (what the limit protects);
 * a shared store would add a Redis round trip to every request for no better protection.
 *
 * Hand-written because it is a dozen lines over a Map; the libraries for it bring a store
 * abstraction this does not need. The Map is bounded: the oldest-touched clients are dropped
 * first (Map iteration order is insertion order, and a touch re-inserts), and a dropped
 * client simply starts again with a full bucket.
 */

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxClients = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new Error('a rate limit needs perSecond > 0 and burst >= 1');
  }

  take(client: string): RateDecision {
    const t = this.now();
    const bucket = this.buckets.get(client);
    let tokens = this.limit.burst;
    if (bucket) {
      tokens = Math.min(this.limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.limit.perSecond);
      this.buckets.delete(client);
    } else if (this.buckets.size >= this.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    const allowed = tokens >= 1;
    this.buckets.set(client, { tokens: allowed ? tokens - 1 : tokens, at: t });
    if (allowed) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.limit.perSecond)) };
  }
}
