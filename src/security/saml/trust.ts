/**
 * Which keys may have signed an assertion. Trust comes only from the configured identity-provider
 * certificates: a certificate inside ds:KeyInfo is sender-supplied data, so it only *selects*
 * among the trusted certificates (byte-for-byte), it never adds one.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { XuaError } from './errors';

export interface TrustedCertificate {
  /** DER bytes, compared with certificates found in KeyInfo. */
  readonly der: Buffer;
  readonly publicKey: KeyObject;
  /** For log lines: which IdP certificate verified an assertion. */
  readonly subject: string;
  readonly fingerprint256: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Smallest RSA modulus accepted from an IdP certificate (NIST SP 800-131A: 2048 bits). */
const MIN_RSA_BITS = 2048;

/**
 * Parses the configured certificates (a string may hold a bundle of several). Misconfiguration is
 * a programming or deployment error, not a refused assertion, hence TypeError: it must surface at
 * start-up, not as every request being quietly rejected.
 */
export function parseTrustedCertificates(pems: readonly string[]): TrustedCertificate[] {
  if (!Array.isArray(pems)) throw new TypeError('XUA trustedCertificates must be an array of PEM certificates');
  const out: TrustedCertificate[] = [];
  for (const [i, pem] of pems.entries()) {
    const blocks = typeof pem === 'string' ? (pem.match(PEM_CERTIFICATE) ?? []) : [];
    if (blocks.length === 0) throw new TypeError(`XUA trustedCertificates[${i}] holds no PEM certificate`);
    for (const block of blocks) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block);
      } catch (err) {
        throw new TypeError(`XUA trustedCertificates[${i}] is not a readable X.509 certificate`, { cause: err });
      }
      const key = cert.publicKey;
      if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
        throw new TypeError(`XUA trustedCertificates[${i}] (${cert.subject}) has a ${key.asymmetricKeyType} key; only RSA and EC keys sign XUA assertions here`);
      }
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (key.asymmetricKeyType === 'rsa' && (bits === undefined || bits < MIN_RSA_BITS)) {
        throw new TypeError(`XUA trustedCertificates[${i}] (${cert.subject}) has an RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
      }
      out.push({ der: cert.raw, publicKey: key, subject: cert.subject, fingerprint256: cert.fingerprint256 });
    }
  }
  if (out.length === 0) throw new TypeError('XUA needs at least one trusted identity-provider certificate');
  return out;
}

/** xs:base64Binary as X509Certificate carries it: whitespace allowed anywhere, nothing else outside the alphabet. */
export function decodeBase64Certificate(text: string): Buffer {
  const compact = text.replace(/[\s]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new XuaError('ds:X509Certificate is not base64');
  }
  return Buffer.from(compact, 'base64');
}

/**
 * The trusted certificates worth trying for a signature. With certificates in KeyInfo, those of
 * them that are trusted (a chain may list the signer with its issuers); none trusted means the
 * signer is unknown, whatever the signature says. Without any, every trusted certificate is tried:
 * KeyInfo is optional and may identify the key some other way (e.g. a SecurityTokenReference).
 */
export function candidateKeys(trusted: readonly TrustedCertificate[], keyInfoCertificates: readonly Buffer[]): TrustedCertificate[] {
  if (keyInfoCertificates.length === 0) return [...trusted];
  const matching = trusted.filter((t) => keyInfoCertificates.some((der) => der.equals(t.der)));
  if (matching.length === 0) throw new XuaError('the certificate in ds:KeyInfo is not one of the trusted identity-provider certificates');
  return matching;
}
