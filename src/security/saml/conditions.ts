/**
 * When and for whom an assertion is valid (SAML core 2.5.1 and 2.4.1.2). Clocks of an identity
 * provider and this gateway differ a little, so every bound is widened by the configured skew,
 * in the caller's favour but never more than that.
 */
import { XuaError } from './errors';
import type { SignedAssertion, TimeWindow } from './read-assertion';

export interface ValidityContext {
  now: Date;
  skewMs: number;
  /** Accepted audiences; empty = not checked. */
  audiences: ReadonlySet<string>;
}

function checkWindow(window: TimeWindow, what: string, { now, skewMs }: ValidityContext): void {
  const t = now.getTime();
  if (window.notBefore && t < window.notBefore.getTime() - skewMs) throw new XuaError(`${what} not valid before ${window.notBefore.toISOString()}`);
  if (window.notOnOrAfter && t >= window.notOnOrAfter.getTime() + skewMs) throw new XuaError(`${what} expired at ${window.notOnOrAfter.toISOString()}`);
  if (window.notBefore && window.notOnOrAfter && window.notBefore.getTime() >= window.notOnOrAfter.getTime()) {
    throw new XuaError(`${what} NotBefore is not before NotOnOrAfter`);
  }
}

export function checkValidity(assertion: SignedAssertion, ctx: ValidityContext): void {
  // An assertion from the future is a clock problem at best and a pre-minted token at worst.
  if (assertion.issueInstant.getTime() > ctx.now.getTime() + ctx.skewMs) {
    throw new XuaError(`assertion issued in the future (${assertion.issueInstant.toISOString()})`);
  }
  checkWindow(assertion.conditions, 'assertion', ctx);
  for (const confirmation of assertion.confirmations) checkWindow(confirmation, 'subject confirmation', ctx);

  if (ctx.audiences.size > 0) {
    // An assertion minted for another relying party must not be replayable here.
    if (assertion.audienceRestrictions.length === 0) throw new XuaError('the assertion has no AudienceRestriction');
    for (const restriction of assertion.audienceRestrictions) {
      if (!restriction.some((a) => ctx.audiences.has(a))) throw new XuaError(`the assertion is for ${restriction.join(', ')}, not for this gateway`);
    }
  }
}

/** The earliest instant at which any part of the assertion stops being valid (without skew). */
export function expiry(assertion: SignedAssertion): Date | undefined {
  const ends = [assertion.conditions, ...assertion.confirmations].map((w) => w.notOnOrAfter?.getTime()).filter((t): t is number => t !== undefined);
  return ends.length > 0 ? new Date(Math.min(...ends)) : undefined;
}
