/**
 * Checks the shape of the assertion's ds:Signature before any cryptography runs. xml-crypto
 * verifies whatever a signature says it covers, with whatever algorithms it names; this is where
 * "what it covers" is pinned to this very assertion and "with what" to the allowed algorithms.
 *
 * The expected shape (SAML core 5.4, XMLDSig 4):
 *   Signature  = SignedInfo, SignatureValue, KeyInfo?      (no Object: nothing to hide content in)
 *   SignedInfo = CanonicalizationMethod, SignatureMethod, Reference   (exactly one Reference)
 *   Reference  URI="#<assertion ID>" = Transforms, DigestMethod, DigestValue
 * Being this strict also keeps xml-crypto's own lookups (first CanonicalizationMethod, first
 * SignatureValue, any KeyInfo among the descendants) pointing at the elements checked here.
 */
import type { Element } from '@xmldom/xmldom';
import { ALLOWED_SIGNED_INFO_C14N, ALLOWED_TRANSFORMS, TRANSFORM, isAllowedDigest, isAllowedSignatureMethod } from './algorithms';
import { attribute, childrenNamed, elementChildren, hasName, simpleText } from './dom';
import { XuaError } from './errors';
import { NS } from './namespaces';
import { decodeBase64Certificate } from './trust';

export interface SignatureShape {
  /** DER of every X509Certificate in KeyInfo/X509Data (empty when KeyInfo names no certificate). */
  keyInfoCertificates: Buffer[];
}

/** The single ds:Signature that is a direct child of the assertion (the enveloped one). */
export function findSignature(assertion: Element): Element {
  const signatures = childrenNamed(assertion, NS.ds, 'Signature');
  if (signatures.length === 0) throw new XuaError('the assertion is not signed');
  if (signatures.length > 1) throw new XuaError(`the assertion has ${signatures.length} signatures`);
  return signatures[0]!;
}

/** Children must be exactly these ds elements, in this order; `?` marks an optional one. */
function expectChildren(parent: Element, names: readonly string[]): Map<string, Element> {
  const children = elementChildren(parent);
  const found = new Map<string, Element>();
  let i = 0;
  for (const spec of names) {
    const optional = spec.endsWith('?');
    const local = optional ? spec.slice(0, -1) : spec;
    const child = children[i];
    if (child && hasName(child, NS.ds, local)) {
      found.set(local, child);
      i++;
    } else if (!optional) {
      throw new XuaError(`ds:${parent.localName} lacks ds:${local} where XMLDSig requires it`);
    }
  }
  if (i < children.length) throw new XuaError(`ds:${parent.localName} has an unexpected <${children[i]!.tagName}>`);
  return found;
}

function algorithmOf(el: Element): string {
  const uri = attribute(el, 'Algorithm');
  if (!uri) throw new XuaError(`ds:${el.localName} has no Algorithm`);
  return uri;
}

/** The only parameter an exclusive C14N method may carry: ec:InclusiveNamespaces. */
function checkC14nParameters(method: Element): void {
  for (const child of elementChildren(method)) {
    if (!hasName(child, NS.excC14n, 'InclusiveNamespaces')) throw new XuaError(`unexpected <${child.tagName}> in ${method.localName}`);
  }
}

/**
 * Exactly enveloped-signature and one exclusive C14N. Both are needed, not merely allowed: the
 * signature sits inside what it signs, and without an explicit exclusive C14N, XMLDSig falls back
 * to inclusive C14N, whose output takes in every namespace the SOAP envelope declares around the
 * assertion (so the IdP's digest could never match here).
 */
function checkTransforms(transforms: Element): void {
  const list = elementChildren(transforms);
  const uris = list.map((t) => {
    if (!hasName(t, NS.ds, 'Transform')) throw new XuaError(`unexpected <${t.tagName}> in ds:Transforms`);
    const uri = algorithmOf(t);
    // XPath, XSLT, inclusive C14N, base64 ...: each can make the digest cover something other than the assertion as read.
    if (!ALLOWED_TRANSFORMS.has(uri)) throw new XuaError(`transform ${uri} is not allowed`);
    if (uri !== TRANSFORM.envelopedSignature) checkC14nParameters(t);
    else if (elementChildren(t).length > 0) throw new XuaError('the enveloped-signature transform takes no parameters');
    return uri;
  });
  const enveloped = uris.filter((u) => u === TRANSFORM.envelopedSignature).length;
  if (list.length !== 2 || enveloped !== 1) {
    throw new XuaError(`ds:Transforms must be enveloped-signature and exclusive C14N, not [${uris.join(', ')}]`);
  }
}

/** Validates the signature's structure, algorithms and Reference; returns what KeyInfo says about the key. */
export function checkSignatureShape(signature: Element, assertionId: string): SignatureShape {
  const parts = expectChildren(signature, ['SignedInfo', 'SignatureValue', 'KeyInfo?']);
  const signedInfo = parts.get('SignedInfo')!;
  if (simpleText(parts.get('SignatureValue')!) === undefined) throw new XuaError('ds:SignatureValue is not text');

  const info = expectChildren(signedInfo, ['CanonicalizationMethod', 'SignatureMethod', 'Reference']);
  const c14n = info.get('CanonicalizationMethod')!;
  if (!ALLOWED_SIGNED_INFO_C14N.has(algorithmOf(c14n))) throw new XuaError(`SignedInfo canonicalization ${algorithmOf(c14n)} is not allowed`);
  checkC14nParameters(c14n);
  const signatureMethod = info.get('SignatureMethod')!;
  if (!isAllowedSignatureMethod(algorithmOf(signatureMethod))) throw new XuaError(`signature algorithm ${algorithmOf(signatureMethod)} is not allowed`);
  if (elementChildren(signatureMethod).length > 0) throw new XuaError('ds:SignatureMethod has parameters (HMACOutputLength?)');

  const reference = info.get('Reference')!;
  // Not just "some element with this ID": this assertion's ID. An empty URI (the whole document)
  // or another element's ID is how a valid signature gets reused for content it never covered.
  const uri = attribute(reference, 'URI');
  if (uri !== `#${assertionId}`) throw new XuaError(`the signature Reference URI ${JSON.stringify(uri ?? null)} does not point to the assertion`);
  const ref = expectChildren(reference, ['Transforms', 'DigestMethod', 'DigestValue']);
  checkTransforms(ref.get('Transforms')!);
  const digest = algorithmOf(ref.get('DigestMethod')!);
  if (!isAllowedDigest(digest)) throw new XuaError(`digest algorithm ${digest} is not allowed`);

  const keyInfo = parts.get('KeyInfo');
  const keyInfoCertificates: Buffer[] = [];
  if (keyInfo) {
    for (const data of childrenNamed(keyInfo, NS.ds, 'X509Data')) {
      for (const cert of childrenNamed(data, NS.ds, 'X509Certificate')) {
        const text = simpleText(cert);
        if (text === undefined) throw new XuaError('ds:X509Certificate is not text');
        keyInfoCertificates.push(decodeBase64Certificate(text));
      }
    }
  }
  return { keyInfoCertificates };
}
