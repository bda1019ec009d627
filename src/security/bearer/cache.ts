import { createHash } from 'node:crypto';
import type { TokenIdentity } from './identity';

interface Entry {
  identity: TokenIdentity;
  /** ms since epoch; never later than the token's exp */
  until: number;
}

/**
 * Verified identities by SHA-256 of the token: repeated requests with one token skip the
 * signature check or the introspection round trip. The token itself is never kept (a heap
 * dump must not yield usable tokens).
 *
 * An entry lives until min(exp, now + ttl): never past the token's own expiry, whatever the
 * clock tolerance accepted at verification. Size is bounded; the least recently used entry
 * goes first. Identities are copied in and out so a caller mutating its Principal cannot
 * change what the next request with the same token gets.
 */
export class IdentityCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly maxEntries: number,
    private readonly now: () => Date,
  ) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string): TokenIdentity | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now().getTime() >= entry.until) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return structuredClone(entry.identity);
  }

  set(key: string, identity: TokenIdentity): void {
    if (this.ttlSeconds <= 0 || this.maxEntries <= 0) return;
    const now = this.now().getTime();
    const until = Math.min(identity.expiresAt?.getTime() ?? Infinity, now + this.ttlSeconds * 1000);
    if (until <= now) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { identity: structuredClone(identity), until });
  }

  get size(): number {
    return this.entries.size;
  }
}
