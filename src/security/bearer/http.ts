import { unavailable } from './errors';

/** How long the issuer's discovery document or the introspection endpoint may take. */
export const FETCH_TIMEOUT_MS = 5000;

/**
 * GET or POST to the authorization server and parse a JSON object. Everything that goes wrong
 * here is the authorization server's (or the network's) fault, never the token's: it all
 * becomes `unavailable`, so the caller answers 503 rather than telling the client its token
 * is bad.
 */
export async function fetchJsonObject(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    text = await res.text();
  } catch (err) {
    throw unavailable(`${url} unreachable: ${(err as Error).message}`, err);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw unavailable(`${url} answered ${res.status} with no JSON`, err);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw unavailable(`${url} answered ${res.status} with no JSON object`);
  return { status: res.status, body: body as Record<string, unknown> };
}
