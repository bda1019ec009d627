/**
 * CRLs as PEM text: splitting a bundle into single CRLs, and reading their validity.
 *
 * Node's `crl` option parses ONE CRL per string or Buffer: given a PEM file holding several,
 * it silently keeps the first and drops the rest. With a CA bundle of several CAs, the CAs
 * whose CRL was dropped would then have no CRL at all (clients refused: UNABLE_TO_GET_CRL),
 * or, worse, a second CRL of the same CA (a delta, or the next one during a rollover) would
 * be ignored. So a CRL file is always split and passed as an array.
 */

const CRL_BLOCK = /-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----/g;

/** Every PEM "X509 CRL" block of the text, in order. */
export function splitPemCrls(pem: string | Buffer): string[] {
  return String(pem).match(CRL_BLOCK) ?? [];
}

export interface CrlValidity {
  thisUpdate: Date;
  /** Absent when the CRL has none (then OpenSSL treats it as never expiring). */
  nextUpdate?: Date;
}

/**
 * thisUpdate / nextUpdate of each CRL in the PEM text, so the gateway can warn before a
 * stale CRL makes OpenSSL refuse every client (CRL_HAS_EXPIRED). Node has no CRL parser;
 * these are the first fields of TBSCertList (RFC 5280 5.1), read with a minimal DER walk.
 */
export function crlValidity(pem: string | Buffer): CrlValidity[] {
  return splitPemCrls(pem).map((block) => {
    const der = Buffer.from(block.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const certList = readTlv(der, 0, SEQUENCE);
    const tbs = readTlv(der, certList.start, SEQUENCE);
    const first = readTlv(der, tbs.start);
    const signature = readTlv(der, first.tag === INTEGER ? first.end : tbs.start, SEQUENCE); // after the optional version
    const issuer = readTlv(der, signature.end, SEQUENCE);
    const thisUpdate = readTlv(der, issuer.end);
    const next = thisUpdate.end < tbs.end ? readTlv(der, thisUpdate.end) : undefined;
    return {
      thisUpdate: asnTime(der, thisUpdate),
      ...(next && (next.tag === UTC_TIME || next.tag === GENERALIZED_TIME) ? { nextUpdate: asnTime(der, next) } : {}),
    };
  });
}

const INTEGER = 0x02;
const SEQUENCE = 0x30;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(der: Buffer, at: number, expected?: number): Tlv {
  if (at + 2 > der.length) throw new Error('CRL: truncated DER');
  const tag = der[at]!;
  if (expected !== undefined && tag !== expected) throw new Error(`CRL: expected DER tag ${expected.toString(16)} at ${at}, found ${tag.toString(16)}`);
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 4 || start + bytes > der.length) throw new Error('CRL: bad DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  if (start + length > der.length) throw new Error('CRL: truncated DER');
  return { tag, start, end: start + length };
}

function asnTime(der: Buffer, tlv: Tlv): Date {
  const text = der.toString('latin1', tlv.start, tlv.end);
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m || (tlv.tag !== UTC_TIME && tlv.tag !== GENERALIZED_TIME)) throw new Error(`CRL: unsupported time ${JSON.stringify(text)}`);
  // RFC 5280 4.1.2.5.1: two-digit UTCTime years 50-99 are 19xx.
  const year = m[1]!.length === 4 ? Number(m[1]) : Number(m[1]) + (Number(m[1]) >= 50 ? 1900 : 2000);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
