import { IdentityCache } from './cache';
import { invalidToken } from './errors';
import type { TokenIdentity } from './identity';
import { Introspector } from './introspection';
import { IssuerKeys } from './issuer-keys';
import { JwtVerifier } from './jwt';
import { resolveOptions, type BearerOptions } from './options';

/** A JWS in compact serialization: header.payload.signature. Anything else is opaque to us. */
const isJws = (token: string) => token.split('.').length === 3;

/**
 * Bearer access token -> TokenIdentity (IHE IUA / SMART on FHIR backend services).
 *
 * JWTs are checked locally against the keys of the trusted issuers; other (opaque) tokens
 * are introspected when an introspection endpoint is configured. With no trusted issuers at
 * all, the introspection endpoint is the only authority and sees every token, JWTs included.
 * Results are cached per token (see IdentityCache). Throws TokenError.
 */
export class BearerVerifier {
  private readonly jwt: JwtVerifier | undefined;
  private readonly introspector: Introspector | undefined;
  private readonly cache: IdentityCache;

  constructor(options: BearerOptions) {
    const o = resolveOptions(options);
    this.jwt = o.issuers.length ? new JwtVerifier(new IssuerKeys(o.issuers), o) : undefined;
    this.introspector = o.introspection ? new Introspector({ ...o.introspection, audiences: o.audiences, clockToleranceSeconds: o.clockToleranceSeconds, now: o.now }) : undefined;
    this.cache = new IdentityCache(o.cacheSeconds, o.cacheEntries, o.now);
  }

  async verify(token: string): Promise<TokenIdentity> {
    if (typeof token !== 'string' || token === '') throw invalidToken('empty token');
    const key = IdentityCache.keyOf(token);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const identity = await this.verifyUncached(token);
    this.cache.set(key, identity);
    return identity;
  }

  private verifyUncached(token: string): Promise<TokenIdentity> {
    if (this.jwt && isJws(token)) return this.jwt.verify(token);
    if (this.introspector) return this.introspector.verify(token);
    throw invalidToken('not a JWT, and no introspection endpoint for opaque tokens');
  }
}
