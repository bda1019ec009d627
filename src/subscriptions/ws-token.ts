/**
 * Websocket binding tokens ($get-ws-binding-token): `<subscription id>.<expiry ms>.<HMAC>`,
 * so any process holding SUBSCRIPTION_WS_TOKEN_KEY checks one without a shared store.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function issueWsToken(key: Buffer, subscriptionId: string, expiresAt: Date): string {
  const payload = `${subscriptionId}.${expiresAt.getTime()}`;
  return `${payload}.${mac(key, payload)}`;
}

/** The subscription id a valid, unexpired token binds; undefined otherwise. */
export function checkWsToken(key: Buffer, token: string, now = Date.now()): string | undefined {
  const last = token.lastIndexOf('.');
  const expiryDot = token.lastIndexOf('.', last - 1);
  if (last < 0 || expiryDot < 0) return undefined;
  const payload = token.slice(0, last);
  const given = Buffer.from(token.slice(last + 1));
  const expected = Buffer.from(mac(key, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (Number(token.slice(expiryDot + 1, last)) < now) return undefined;
  return token.slice(0, expiryDot);
}
