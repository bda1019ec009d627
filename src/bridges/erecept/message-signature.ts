/**
 * The XML signature CÚER requires on the messages that change a prescription or record a
 * dispense: XML-DSig enveloped in the request element, RSA-SHA256 over exclusive C14N, SHA-256
 * digest, the signer's certificate in KeyInfo. The Reference points at the request element by
 * its Id, so the signature stays valid wherever the element sits (inside the SOAP Body).
 */
import { SignedXml } from 'xml-crypto';

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface SigningKey {
  cert: Buffer;
  key: Buffer;
}

/** `xml` is one request element carrying Id="`id`"; returns it with ds:Signature as its last child. */
export function signRequest(xml: string, id: string, signer: SigningKey): string {
  const sig = new SignedXml({ privateKey: signer.key, publicCert: signer.cert, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  sig.addReference({ xpath: `/*[@Id='${id}']`, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}
