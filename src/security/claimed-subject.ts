/**
 * Who a rejected token says it is, for the audit record of the failed attempt. Nothing here
 * is trusted: it is what an attacker may have written, recorded as "claimed".
 */
import { decodeJwt } from 'jose';

export function claimedTokenSubject(token: string): string | undefined {
  try {
    const claims = decodeJwt(token);
    const who = claims.sub ?? (claims as { client_id?: unknown }).client_id;
    return typeof who === 'string' ? `${who.slice(0, 200)} (claimed)` : undefined;
  } catch {
    return undefined;
  }
}
