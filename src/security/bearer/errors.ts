/**
 * Why a bearer token was not accepted. The message is for logs and the audit trail only:
 * the HTTP answer says no more than `invalid_token` (RFC 6750), so a caller probing with
 * forged tokens learns nothing about which check failed.
 *
 * `unavailable` means the token could not be checked at all (issuer, JWKS or introspection
 * endpoint unreachable or answering nonsense): the caller answers 503, not 401, because the
 * client's token may be perfectly good and retrying later can succeed.
 */
export type TokenErrorCode = 'invalid_token' | 'unavailable';

export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(
    readonly code: TokenErrorCode,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export const invalidToken = (reason: string, cause?: unknown) => new TokenError('invalid_token', reason, cause === undefined ? undefined : { cause });
export const unavailable = (reason: string, cause?: unknown) => new TokenError('unavailable', reason, cause === undefined ? undefined : { cause });
