/**
 * The XML Signature algorithms an XUA assertion may use, and their implementations as xml-crypto
 * plug-ins.
 *
 * Why our own classes rather than xml-crypto's defaults:
 *  - the policy is enforced inside the verifier itself: a SignedXml instance is given only these
 *    tables, so SHA-1, RSA-SHA1, HMAC or an unexpected transform cannot be used even if a check
 *    in front of it were ever loosened;
 *  - xml-crypto 6 has no SHA-384, RSA-SHA384 or ECDSA, which XUA identity providers do use;
 *  - each signature algorithm is bound to its key type. Node's createVerify('RSA-SHA256') happily
 *    verifies an ECDSA signature with an EC key, so without the check a signature could be
 *    presented under an algorithm name that does not describe it.
 */
import crypto, { KeyObject } from 'node:crypto';
import { createOptionalCallbackFunction, type HashAlgorithm, type SignatureAlgorithm } from 'xml-crypto';

export const TRANSFORM = {
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  /** Never allowed in a Transform here, but xml-crypto appends it itself after a trailing enveloped-signature (XMLDSig's node-set to octets rule). */
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

/** Transforms a Reference may list: the pair SAML signatures use (SAML core 5.4.3/5.4.4). */
export const ALLOWED_TRANSFORMS: ReadonlySet<string> = new Set([TRANSFORM.envelopedSignature, TRANSFORM.excC14n, TRANSFORM.excC14nWithComments]);

/**
 * CanonicalizationMethod of SignedInfo: exclusive C14N only. Inclusive C14N would make the
 * signed bytes depend on namespaces declared by whatever envelope the assertion travels in.
 */
export const ALLOWED_SIGNED_INFO_C14N: ReadonlySet<string> = new Set([TRANSFORM.excC14n, TRANSFORM.excC14nWithComments]);

/** DigestMethod URIs (RFC 6931) -> Node hash names. SHA-1 is absent on purpose (collisions are practical). */
const DIGESTS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

type KeyType = 'rsa' | 'ec';

/** SignatureMethod URIs (RFC 6931) -> hash and the key type they require. No SHA-1, no HMAC (a shared secret is no IdP signature). */
const SIGNATURES: Readonly<Record<string, { hash: string; keyType: KeyType }>> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', keyType: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', keyType: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', keyType: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', keyType: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', keyType: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', keyType: 'ec' },
};

export function isAllowedDigest(uri: string): boolean {
  return Object.hasOwn(DIGESTS, uri);
}

export function isAllowedSignatureMethod(uri: string): boolean {
  return Object.hasOwn(SIGNATURES, uri);
}

function digestClass(uri: string, hash: string): new () => HashAlgorithm {
  return class implements HashAlgorithm {
    getAlgorithmName = (): string => uri;
    getHash = (xml: string): string => crypto.createHash(hash).update(xml, 'utf8').digest('base64');
  };
}

/**
 * XMLDSig 1.1 (section 6.4.3) carries an ECDSA signature as the raw r || s concatenation, not the
 * DER structure OpenSSL produces by default: hence ieee-p1363.
 */
function dsaEncoding(keyType: KeyType): { dsaEncoding?: 'ieee-p1363' } {
  return keyType === 'ec' ? { dsaEncoding: 'ieee-p1363' } : {};
}

function requireKeyType(key: KeyObject, keyType: KeyType, uri: string): void {
  if (key.asymmetricKeyType !== keyType) throw new Error(`${uri} needs an ${keyType.toUpperCase()} key, not ${key.asymmetricKeyType ?? key.type}`);
}

function signatureClass(uri: string, hash: string, keyType: KeyType): new () => SignatureAlgorithm {
  return class implements SignatureAlgorithm {
    getAlgorithmName = (): string => uri;

    // Signing is here for the test identity provider and any future signing side; the verifier never signs.
    getSignature = createOptionalCallbackFunction((signedInfo: crypto.BinaryLike, privateKey: crypto.KeyLike): string => {
      const key = privateKey instanceof KeyObject ? privateKey : crypto.createPrivateKey(privateKey);
      requireKeyType(key, keyType, uri);
      const data = typeof signedInfo === 'string' ? Buffer.from(signedInfo, 'utf8') : signedInfo;
      return crypto.sign(hash, data as NodeJS.ArrayBufferView, { key, ...dsaEncoding(keyType) }).toString('base64');
    });

    verifySignature = createOptionalCallbackFunction((material: string, publicKey: crypto.KeyLike, signatureValue: string): boolean => {
      const key = publicKey instanceof KeyObject ? publicKey : crypto.createPublicKey(publicKey);
      requireKeyType(key, keyType, uri);
      return crypto.verify(hash, Buffer.from(material, 'utf8'), { key, ...dsaEncoding(keyType) }, Buffer.from(signatureValue, 'base64'));
    });
  };
}

/** Hash plug-ins keyed by URI, to replace a SignedXml's HashAlgorithms table (copy it: SignedXml's tables are mutable). */
export const DIGEST_ALGORITHMS: Readonly<Record<string, new () => HashAlgorithm>> = Object.freeze(
  Object.fromEntries(Object.entries(DIGESTS).map(([uri, hash]) => [uri, digestClass(uri, hash)])),
);

/** Signature plug-ins keyed by URI, to replace a SignedXml's SignatureAlgorithms table (copy it likewise). */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, new () => SignatureAlgorithm>> = Object.freeze(
  Object.fromEntries(Object.entries(SIGNATURES).map(([uri, { hash, keyType }]) => [uri, signatureClass(uri, hash, keyType)])),
);
