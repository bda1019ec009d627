/** Configuration of the BearerVerifier, and its defaults checked once at construction. */
export interface BearerOptions {
  /** Trusted issuers. jwksUri optional: else discovered from `${issuer}/.well-known/openid-configuration` (fetched once, cached; retried on failure, not cached when failing). */
  issuers: { issuer: string; jwksUri?: string }[];
  /** Accepted audiences (aud must contain one). Required non-empty. */
  audiences: string[];
  /** Allowed JWS algorithms; default ['RS256','RS384','RS512','PS256','PS384','PS512','ES256','ES384','ES512','EdDSA']. 'none' and HS* never. */
  algorithms?: string[];
  /** Allowed clock skew for exp and nbf, default 30. */
  clockToleranceSeconds?: number;
  /** RFC 7662: for tokens that are not JWTs (opaque). Client auth with client_secret_basic. */
  introspection?: { endpoint: string; clientId: string; clientSecret: string };
  /** Verified tokens cached (keyed by SHA-256 of the token) until min(exp, now+cacheSeconds); bounded size. Default 60 s, 10_000 entries. */
  cacheSeconds?: number;
  cacheEntries?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface ResolvedOptions {
  issuers: { issuer: string; jwksUri?: string }[];
  audiences: string[];
  algorithms: string[];
  clockToleranceSeconds: number;
  introspection?: { endpoint: string; clientId: string; clientSecret: string };
  cacheSeconds: number;
  cacheEntries: number;
  now: () => Date;
}

const nonNegative = (value: number | undefined, fallback: number, name: string): number => {
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`BearerOptions.${name} must be a non-negative number`);
  return n;
};

/**
 * Mistakes here would silently weaken verification (no audience check, symmetric algorithms
 * whose "key" is public), so they fail construction instead of being corrected.
 */
export function resolveOptions(options: BearerOptions): ResolvedOptions {
  if (!options.audiences?.length || options.audiences.some((a) => typeof a !== 'string' || !a)) {
    throw new TypeError('BearerOptions.audiences must name at least one audience');
  }
  if (!options.issuers?.length && !options.introspection) {
    throw new TypeError('BearerOptions needs trusted issuers or an introspection endpoint');
  }
  const seen = new Set<string>();
  for (const { issuer, jwksUri } of options.issuers ?? []) {
    if (!URL.canParse(issuer)) throw new TypeError(`BearerOptions.issuers: "${issuer}" is not a URL`);
    if (jwksUri !== undefined && !URL.canParse(jwksUri)) throw new TypeError(`BearerOptions.issuers: jwksUri "${jwksUri}" is not a URL`);
    if (seen.has(issuer)) throw new TypeError(`BearerOptions.issuers: "${issuer}" is listed twice`);
    seen.add(issuer);
  }
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  // 'none' has no signature; HS* would need a secret shared with the issuer, and with a
  // JWKS-based setup the "secret" an attacker would try is the issuer's public key.
  const refused = algorithms.filter((a) => a.toLowerCase() === 'none' || /^HS/i.test(a));
  if (refused.length) throw new TypeError(`BearerOptions.algorithms: ${refused.join(', ')} never allowed`);
  if (algorithms.length === 0) throw new TypeError('BearerOptions.algorithms must not be empty');
  if (options.introspection && !URL.canParse(options.introspection.endpoint)) {
    throw new TypeError(`BearerOptions.introspection.endpoint "${options.introspection.endpoint}" is not a URL`);
  }
  const cacheEntries = nonNegative(options.cacheEntries, 10_000, 'cacheEntries');
  return {
    issuers: (options.issuers ?? []).map((i) => ({ ...i })),
    audiences: [...options.audiences],
    algorithms,
    clockToleranceSeconds: nonNegative(options.clockToleranceSeconds, 30, 'clockToleranceSeconds'),
    ...(options.introspection ? { introspection: { ...options.introspection } } : {}),
    cacheSeconds: nonNegative(options.cacheSeconds, 60, 'cacheSeconds'),
    cacheEntries: Math.floor(cacheEntries),
    now: options.now ?? (() => new Date()),
  };
}
