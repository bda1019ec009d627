import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { discoverJwksUri } from './discovery';
import { FETCH_TIMEOUT_MS } from './http';

interface IssuerState {
  keys?: JWTVerifyGetKey;
  discovering?: Promise<JWTVerifyGetKey>;
}

/**
 * The signing keys of each trusted issuer, as jose remote key sets. jose caches the keys,
 * refetches when a token names an unknown kid (key rotation) and rate-limits those refetches
 * (cooldown), so a flood of tokens with random kids cannot make us hammer the issuer.
 *
 * Without a configured jwksUri the issuer's discovery document is read on first use, then
 * kept. A failed discovery is not remembered, so the next token retries instead of the
 * gateway staying broken until restart; concurrent first uses share one request.
 */
export class IssuerKeys {
  private readonly issuers = new Map<string, IssuerState>();

  constructor(issuers: readonly { issuer: string; jwksUri?: string }[]) {
    for (const { issuer, jwksUri } of issuers) this.issuers.set(issuer, jwksUri ? { keys: remoteKeySet(jwksUri) } : {});
  }

  has(issuer: string): boolean {
    return this.issuers.has(issuer);
  }

  /** Keys of a trusted issuer (see has()). Throws TokenError('unavailable') when discovery fails. */
  async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const state = this.issuers.get(issuer);
    if (!state) throw new Error(`${issuer} is not a trusted issuer`);
    if (state.keys) return state.keys;
    state.discovering ??= discoverJwksUri(issuer)
      .then((jwksUri) => (state.keys = remoteKeySet(jwksUri)))
      .finally(() => (state.discovering = undefined));
    return state.discovering;
  }
}

function remoteKeySet(jwksUri: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS });
}
