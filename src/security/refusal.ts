/**
 * A request the security layer turns away before any front end sees it. Each front end
 * words the refusal in its own protocol (http/refusals.ts): an OperationOutcome, a SOAP
 * fault, or plain text; the status and headers are the same everywhere.
 */
export type RefusalKind = 'unauthenticated' | 'invalid_token' | 'forbidden' | 'rate_limited' | 'unavailable';

export interface Refusal {
  kind: RefusalKind;
  status: 401 | 403 | 429 | 503;
  /** What the caller may be told (RFC 6750 error codes, nothing about why a credential failed). */
  text: string;
  headers: Record<string, string>;
}

const REALM = 'realm="hie-gateway"';

export const refusals = {
  /** No credentials at all (RFC 6750 3.1: no error code when the request had no token). */
  unauthenticated: (): Refusal => ({ kind: 'unauthenticated', status: 401, text: 'authentication required', headers: { 'WWW-Authenticate': `Bearer ${REALM}` } }),
  invalidToken: (): Refusal => ({ kind: 'invalid_token', status: 401, text: 'the access token is invalid', headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token"` } }),
  forbidden: (text: string): Refusal => ({ kind: 'forbidden', status: 403, text, headers: {} }),
  rateLimited: (retryAfterSeconds: number): Refusal => ({ kind: 'rate_limited', status: 429, text: `too many requests; retry in ${retryAfterSeconds} s`, headers: { 'Retry-After': String(retryAfterSeconds) } }),
  /** The token could not be checked (authorization server unreachable): the caller may retry, it is not refused. */
  unavailable: (): Refusal => ({ kind: 'unavailable', status: 503, text: 'the access token cannot be verified now; retry later', headers: { 'Retry-After': '5' } }),
};

export type RefusalResponder = (ctx: import('koa').Context, refusal: Refusal) => void;
