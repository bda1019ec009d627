/**
 * Document hash: XDS carries SHA-1 as 40 hex digits, FHIR Attachment.hash as base64 of
 * the 20 raw digest bytes.
 */

export type HashResult = { ok: true; hex: string; lenient?: true } | { ok: false; reason: string };

const HEX40 = /^[0-9a-fA-F]{40}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function hexToBase64(hex: string): string {
  if (!HEX40.test(hex)) throw new Error(`"${hex}" is not a SHA-1 in hex`);
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * base64 SHA-1 -> lowercase hex. Some senders base64-encode the hex *text* instead of the
 * digest bytes (40 ASCII hex characters); that is accepted and flagged `lenient` so the
 * caller can warn, because the intended digest is unambiguous.
 */
export function base64ToHex(value: string): HashResult {
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) return { ok: false, reason: `"${value}" is not base64` };
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === 20) return { ok: true, hex: bytes.toString('hex') };
  const text = bytes.toString('latin1');
  if (bytes.length === 40 && HEX40.test(text)) return { ok: true, hex: text.toLowerCase(), lenient: true };
  return { ok: false, reason: `hash decodes to ${bytes.length} bytes; a SHA-1 digest has 20` };
}
