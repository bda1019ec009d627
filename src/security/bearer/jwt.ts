import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { refuseSenderConstrained } from './claim-checks';
import { invalidToken, TokenError, unavailable } from './errors';
import { identityOf, type TokenIdentity } from './identity';
import type { IssuerKeys } from './issuer-keys';

export interface JwtRules {
  audiences: readonly string[];
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  now: () => Date;
}

// RFC 9068 access tokens say at+jwt; many IUA/SMART servers still say JWT. The media type
// may be written with or without "application/" (RFC 7515 4.1.9), in any case.
const ACCEPTED_TYP = new Set(['at+jwt', 'application/at+jwt', 'jwt', 'application/jwt']);

// jose failures that mean "this token is bad" (401). Everything else - JWKS unreachable,
// timing out, serving garbage, non-jose errors from the HTTP client - means we could not
// check it (503).
const TOKEN_FAULTS = new Set<string>([
  errors.JWTClaimValidationFailed.code,
  errors.JWTExpired.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
]);

function classify(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof errors.JOSEError && TOKEN_FAULTS.has(err.code)) return invalidToken(`JWT refused: ${err.message}`, err);
  return unavailable(`JWT could not be checked: ${(err as Error)?.message ?? String(err)}`, err);
}

/**
 * A JWS access token: everything that can be refused without the network is refused first
 * (shape, alg, typ, untrusted issuer), so forged tokens cost no request to the issuer. Then
 * jose checks the signature with the issuer's keys and iss, aud, exp, nbf.
 */
export class JwtVerifier {
  constructor(
    private readonly keys: IssuerKeys,
    private readonly rules: JwtRules,
  ) {}

  async verify(token: string): Promise<TokenIdentity> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (err) {
      throw invalidToken(`not a JWT: ${(err as Error).message}`, err);
    }
    // Also enforced by jose below; checked here so 'none'/HS* never reach a key lookup.
    if (typeof header.alg !== 'string' || !this.rules.algorithms.includes(header.alg)) throw invalidToken(`JWS algorithm ${JSON.stringify(header.alg)} not allowed`);
    if (header.typ !== undefined && !ACCEPTED_TYP.has(String(header.typ).toLowerCase())) throw invalidToken(`JWT typ ${JSON.stringify(header.typ)} is not an access token`);
    const issuer = unverified.iss;
    // The unverified iss only picks which keys to try; jose then requires the same iss.
    if (typeof issuer !== 'string' || !this.keys.has(issuer)) throw invalidToken(`issuer ${JSON.stringify(issuer)} is not trusted`);

    try {
      const { payload } = await jwtVerify(token, await this.keys.keysOf(issuer), {
        issuer,
        audience: [...this.rules.audiences],
        algorithms: [...this.rules.algorithms],
        clockTolerance: this.rules.clockToleranceSeconds,
        currentDate: this.rules.now(),
        // An access token without exp would be valid forever (RFC 9068 makes it required).
        requiredClaims: ['exp'],
      });
      refuseSenderConstrained(payload);
      return identityOf(payload, issuer);
    } catch (err) {
      throw classify(err);
    }
  }
}
