/**
 * Assertions whose signature this verifier has already checked, by the SHA-256 of their exact
 * text (standalone(): the assertion with the namespaces it inherits). A session sends the same
 * HCP or XUA assertion with every request; identical bytes verify identically against the same
 * trust list, so the RSA and canonicalisation work is done once. What depends on the message or
 * the moment is never cached: the ID's uniqueness in the message (signature wrapping) and the
 * validity window are checked on every request by the caller.
 */
import { createHash } from 'node:crypto';
import type { SignedAssertion } from './read-assertion';
import type { TrustedCertificate } from './trust';

export interface CachedVerification {
  assertion: SignedAssertion;
  signer: TrustedCertificate;
}

/**
 * The sessions of a busy hour; the oldest entry goes first beyond it. An entry keeps the parsed
 * signed assertion (tens of kilobytes at most), so the cache stays within a few tens of MB.
 */
const MAX_ENTRIES = 1000;

export class VerifiedAssertions {
  private readonly entries = new Map<string, { value: CachedVerification; expiresAt: number }>();

  private static key(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('base64');
  }

  get(text: string, now: number): CachedVerification | undefined {
    const key = VerifiedAssertions.key(text);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Kept until `expiresAt` (the assertion's end of validity, skew included); an assertion without one is not kept. */
  set(text: string, value: CachedVerification, expiresAt: number | undefined): void {
    if (expiresAt === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(VerifiedAssertions.key(text), { value, expiresAt });
  }
}
