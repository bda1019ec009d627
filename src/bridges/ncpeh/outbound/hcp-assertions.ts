/**
 * The signed HCP assertion of each professional, reused for a while: eHDSI issues it once per
 * session (valid up to 4 hours) and binds every TRC to it, so re-signing it for every ITI-38 /
 * ITI-39 would only cost a signature per request. Kept for REUSE_MS (well inside its lifetime,
 * so a reused assertion never expires in flight), at most MAX_ENTRIES professionals.
 */
import type { EhdsiAssertionIssuer, HcpIdentity, SignedHcpAssertion } from '../../../security/ehdsi';

const REUSE_MS = 30 * 60_000;
const MAX_ENTRIES = 1000;

export class HcpAssertions {
  private readonly byIdentity = new Map<string, { signed: SignedHcpAssertion; until: number }>();

  constructor(
    private readonly issuer: EhdsiAssertionIssuer,
    private readonly now: () => number = Date.now,
  ) {}

  of(hcp: HcpIdentity): SignedHcpAssertion {
    const key = JSON.stringify(hcp);
    const t = this.now();
    const kept = this.byIdentity.get(key);
    if (kept && kept.until > t) return kept.signed;
    const signed = this.issuer.hcpAssertion(hcp);
    this.byIdentity.delete(key);
    this.byIdentity.set(key, { signed, until: t + REUSE_MS });
    if (this.byIdentity.size > MAX_ENTRIES) this.byIdentity.delete(this.byIdentity.keys().next().value as string);
    return signed;
  }
}
