import { invalidToken } from './errors';

type Claims = Record<string, unknown>;

/**
 * A sender-constrained token (RFC 9449 DPoP `cnf.jkt`, RFC 8705 mTLS `cnf.x5t#S256`) is only
 * worth anything if the proof of possession is checked; verify() sees the token alone, so
 * accepting one here would turn a stolen bound token back into a plain bearer token.
 */
export function refuseSenderConstrained(claims: Claims): void {
  const cnf = claims.cnf;
  if (cnf !== undefined && cnf !== null && (typeof cnf !== 'object' || Object.keys(cnf).length > 0)) {
    throw invalidToken('sender-constrained token (cnf) presented as a plain bearer token');
  }
}

/** aud (a string or an array, RFC 7519 4.1.3) must name one of ours. */
export function checkAudience(aud: unknown, audiences: readonly string[]): void {
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!values.some((a) => typeof a === 'string' && audiences.includes(a))) throw invalidToken(`audience ${JSON.stringify(aud)} is not this gateway's`);
}

/**
 * exp and nbf of an introspection response. The authorization server already judged the token
 * active, but its clock and ours may disagree and a cached answer ages: the same tolerance as
 * for JWTs applies.
 */
export function checkTimes(claims: Claims, now: Date, toleranceSeconds: number): void {
  const t = now.getTime() / 1000;
  if (claims.exp !== undefined && !(typeof claims.exp === 'number' && t < claims.exp + toleranceSeconds)) throw invalidToken('token expired (exp)');
  if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && t >= claims.nbf - toleranceSeconds)) throw invalidToken('token not yet valid (nbf)');
}
