/**
 * Runs xml-crypto over the assertion's signature, once per candidate key, and hands back the
 * signed bytes: the canonical XML xml-crypto digested. Everything the identity is built from is
 * read from those bytes, never from the live DOM, so nothing outside the signature (a comment
 * splitting a NameID, a sibling element, a second copy) can feed the identity.
 */
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS, TRANSFORM } from './algorithms';
import { XuaError } from './errors';
import type { TrustedCertificate } from './trust';

export interface VerifiedSignature {
  /** Canonical XML of the signed assertion (enveloped signature removed). */
  signedXml: string;
  /** The trusted certificate whose key verified the signature. */
  signer: TrustedCertificate;
}

/**
 * A SignedXml that can only use the allowed algorithms and only the given key. Inclusive C14N
 * stays in the transform table because xml-crypto appends it by itself after a trailing
 * enveloped-signature transform (XMLDSig's node-set-to-octets rule); the shape check refuses it
 * anywhere a signer could name it.
 */
function verifierFor(key: TrustedCertificate): SignedXml {
  // getCertFromKeyInfo returning null makes xml-crypto use publicCert: never a key from the message.
  const sig = new SignedXml({ publicCert: key.publicKey, getCertFromKeyInfo: () => null });
  const transforms = sig.CanonicalizationAlgorithms;
  sig.CanonicalizationAlgorithms = Object.fromEntries(
    [TRANSFORM.envelopedSignature, TRANSFORM.excC14n, TRANSFORM.excC14nWithComments, TRANSFORM.c14n].map((uri) => {
      const impl = transforms[uri];
      if (!impl) throw new Error(`xml-crypto lacks transform ${uri}`);
      return [uri, impl];
    }),
  );
  sig.HashAlgorithms = { ...DIGEST_ALGORITHMS };
  sig.SignatureAlgorithms = { ...SIGNATURE_ALGORITHMS };
  return sig;
}

function shortMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * The assertion alone as text, with every namespace declaration it inherits from the envelope
 * copied onto its root (a declaration of its own wins): canonicalisation sees exactly the
 * namespaces in scope it saw in the message, InclusiveNamespaces prefixes included, so the
 * digest is the one the signer computed. xml-crypto then parses and searches a few kilobytes
 * instead of the whole message (its Reference lookup is an XPath over every element).
 */
export function standalone(assertion: Element): string {
  const copy = assertion.cloneNode(true) as Element;
  for (let node = assertion.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attrs = (node as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI !== XMLNS) continue;
      const prefix = a.prefix === 'xmlns' ? a.localName : null;
      const name = prefix ? `xmlns:${prefix}` : 'xmlns';
      if (!copy.hasAttributeNS(XMLNS, prefix ?? 'xmlns') && !copy.hasAttribute(name)) copy.setAttributeNS(XMLNS, name, a.value);
    }
  }
  return new XMLSerializer().serializeToString(copy);
}

/**
 * `signature` must already have passed checkSignatureShape() and its assertion's ID must be unique
 * in the whole message (checked before, on the message: that is the wrapping defence). xml-crypto
 * wants the document as text and parses its own copy, in which it resolves the Reference: it is
 * given the assertion on its own (see standalone(); `text` when the caller has it already).
 */
export function verifySignature(assertion: Element, signature: Element, candidates: readonly TrustedCertificate[], text?: string): VerifiedSignature {
  if (!assertion.ownerDocument) throw new XuaError('the assertion is not part of a document');
  const xml = text ?? standalone(assertion);
  const failures: string[] = [];
  for (const candidate of candidates) {
    const sig = verifierFor(candidate);
    let valid: boolean;
    try {
      sig.loadSignature(signature);
      valid = sig.checkSignature(xml);
    } catch (err) {
      // Wrong key (the SignatureValue does not verify), or a problem the shape check did not foresee.
      failures.push(shortMessage(err));
      continue;
    }
    // false comes from the Reference check, which runs before the key is used: no key will do better.
    if (!valid) throw new XuaError('the assertion does not match its signature (altered after signing)');
    const signed = sig.getSignedReferences();
    if (signed.length !== 1) throw new XuaError(`the signature covers ${signed.length} references`);
    return { signedXml: signed[0]!, signer: candidate };
  }
  throw new XuaError(`the signature does not verify with any trusted certificate: ${failures.join('; ')}`);
}
