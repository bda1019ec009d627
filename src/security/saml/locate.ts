/**
 * Finds the one assertion the header presents and pins down its identity (its ID) before any
 * signature is looked at. Signature-wrapping attacks work by making the verifier check one
 * element and the application read another; making the ID unique in the whole message leaves
 * only one element a `#ID` Reference can mean.
 */
import type { Element } from '@xmldom/xmldom';
import { allElements, childrenNamed, hasName, isElement } from './dom';
import { XuaError } from './errors';
import { NS } from './namespaces';

/** Every saml2:Assertion that is a direct child of wsse:Security (at least one). */
export function findAssertions(securityHeader: Element): Element[] {
  if (!isElement(securityHeader) || !hasName(securityHeader, NS.wsse, 'Security')) {
    throw new XuaError('the header given is not a wsse:Security element');
  }
  const assertions = childrenNamed(securityHeader, NS.saml2, 'Assertion');
  if (assertions.length === 0) throw new XuaError('wsse:Security carries no SAML 2.0 assertion');
  return assertions;
}

/** The single saml2:Assertion that is a direct child of wsse:Security. */
export function findAssertion(securityHeader: Element): Element {
  const assertions = findAssertions(securityHeader);
  // Two assertions would leave it to chance (or to the attacker) which one identifies the caller.
  if (assertions.length > 1) throw new XuaError(`wsse:Security carries ${assertions.length} SAML 2.0 assertions`);
  return assertions[0]!;
}

/**
 * xs:ID is an NCName. Holding the value to that also keeps quotes, brackets and whitespace out of
 * the XPath xml-crypto builds from a Reference URI.
 */
const NCNAME = /^[\p{L}_][\p{L}\p{N}_.\-\u00B7\u0300-\u036F\u203F\u2040]*$/u;

export function assertionId(assertion: Element): string {
  const id = assertion.getAttribute('ID');
  if (!id) throw new XuaError('the assertion has no ID');
  if (id.length > 256 || !NCNAME.test(id)) throw new XuaError('the assertion ID is not an NCName');
  return id;
}

/** Attribute local names xml-crypto resolves a `#id` Reference against (in any namespace, wsu:Id included). */
const ID_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['ID', 'Id', 'id']);

/**
 * Refuses the message unless exactly one attribute in the whole owner document (header, body and
 * all) carries `id` under a name a Reference could resolve. Counting attributes, not elements, also
 * catches one element carrying the value twice (ID and wsu:Id).
 */
export function requireUniqueId(assertion: Element, id: string): void {
  const doc = assertion.ownerDocument;
  // SOAP 1.2 forbids a DTD; one here could also declare ID-typed attributes of its own.
  if (!doc || doc.doctype) throw new XuaError('the SOAP message has a DOCTYPE');
  let count = 0;
  for (const el of allElements(doc)) {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const attr = attrs.item(i)!;
      const local = attr.localName ?? attr.name;
      if (ID_ATTRIBUTE_NAMES.has(local) && attr.value === id) count++;
    }
  }
  if (count !== 1) throw new XuaError(`the assertion ID is used ${count} times in the message (signature wrapping)`);
}
