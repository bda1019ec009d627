import { invalidToken } from './errors';

// RFC 6750 2.1: credentials = "Bearer" 1*SP b64token, b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * `Authorization` header value -> bearer token.
 *
 * undefined when there is no header or it carries another scheme (Basic, Negotiate...):
 * the request may still authenticate another way (client certificate, SAML), so that is
 * not an error here. A header that says Bearer but carries no well-formed token is one.
 */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (!value) return undefined;
  const space = value.search(/\s/);
  const scheme = space === -1 ? value : value.slice(0, space);
  // The auth-scheme is case-insensitive (RFC 9110 11.1).
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  const token = space === -1 ? '' : value.slice(space).trimStart();
  if (!token) throw invalidToken('Authorization: Bearer without a token');
  if (!B64TOKEN.test(token)) throw invalidToken('Authorization: Bearer with a malformed token');
  return token;
}
