/**
 * Signs a SAML 2.0 assertion this gateway issues (eHDSI HCP and TRC assertions): RSA-SHA256
 * over exclusive C14N with an enveloped signature whose single Reference is the assertion's ID,
 * the shape signature-policy.ts demands of others. The signed text is final: callers embed it
 * as it is, since any re-serialisation could change the bytes the digest covers.
 */
import { KeyObject, X509Certificate, createPrivateKey } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS, TRANSFORM } from './algorithms';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface AssertionSigningKey {
  /** PEM certificate sent in ds:KeyInfo (the receiver selects its trusted copy by it). */
  certificatePem: string;
  privateKey: KeyObject;
}

/** Reads a PEM key and certificate; a key that does not belong to the certificate is a deployment error (TypeError). */
export function signingKey(certificatePem: string, privateKeyPem: string): AssertionSigningKey {
  const cert = new X509Certificate(certificatePem);
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new TypeError('the assertion signing key must be an RSA key (eHDSI signs with RSA-SHA256)');
  if (!cert.checkPrivateKey(privateKey)) throw new TypeError(`the assertion signing key does not belong to the certificate ${cert.subject}`);
  return { certificatePem, privateKey };
}

/**
 * `assertionXml`: one saml2:Assertion with an ID attribute and an Issuer child, declaring every
 * namespace it uses on its root. No InclusiveNamespaces parameter: xml-crypto 6 writes it into
 * every transform, the enveloped-signature one included, which verifiers (ours among them)
 * rightly refuse. A prefix used only in a value (xsd in xsi:type="xsd:string") is then not
 * bound in the signed bytes; its declaration stays on the root in the message all the same.
 */
export function signAssertion(assertionXml: string, key: AssertionSigningKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificatePem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: TRANSFORM.excC14n,
  });
  sig.HashAlgorithms = { ...DIGEST_ALGORITHMS };
  sig.SignatureAlgorithms = { ...SIGNATURE_ALGORITHMS };
  sig.addReference({
    xpath: '/*',
    transforms: [TRANSFORM.envelopedSignature, TRANSFORM.excC14n],
    digestAlgorithm: SHA256,
  });
  // SAML core's schema puts ds:Signature right after Issuer.
  sig.computeSignature(assertionXml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml().replace(/^\s*<\?xml[^?]*\?>\s*/, '');
}
