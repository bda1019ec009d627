/**
 * Reading the request element of an XDS.b message. What the schema requires (the right body
 * element, its mandatory children and attributes) is checked here, and a message that breaks it
 * is refused with a SOAP Sender fault: it is not an XDS request at all. What the registry or
 * repository decides about well-formed content comes back as a RegistryResponse instead.
 */
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed, simpleText, SoapFault, type SoapRequest } from '../soap';

function describe(ns: string, local: string): string {
  return `{${ns}}${local}`;
}

/** The single body element, which must be {ns}local. */
export function requirePayload(request: SoapRequest, ns: string, local: string): Element {
  const { bodyElements } = request.envelope;
  const payload = request.payload;
  if (bodyElements.length !== 1 || !payload || payload.localName !== local || payload.namespaceURI !== ns) {
    const found = payload ? describe(payload.namespaceURI ?? '', payload.localName ?? '') : 'an empty env:Body';
    throw SoapFault.sender(`${request.addressing.action} expects env:Body to hold one ${describe(ns, local)}, found ${bodyElements.length > 1 ? `${bodyElements.length} elements` : found}`);
  }
  return payload;
}

export function requireChild(parent: Element, ns: string, local: string): Element {
  const child = childNamed(parent, ns, local);
  if (!child) throw SoapFault.sender(`<${parent.nodeName}> has no ${describe(ns, local)}`);
  return child;
}

/** Text of a required child holding only text, trimmed and not empty. */
export function requireChildText(parent: Element, ns: string, local: string): string {
  const text = optionalChildText(parent, ns, local);
  if (text === undefined) throw SoapFault.sender(`<${parent.nodeName}> has no ${describe(ns, local)} with a value`);
  return text;
}

export function optionalChildText(parent: Element, ns: string, local: string): string | undefined {
  const found = childrenNamed(parent, ns, local);
  if (found.length > 1) throw SoapFault.sender(`<${parent.nodeName}> has more than one ${describe(ns, local)}`);
  if (found.length === 0) return undefined;
  const text = simpleText(found[0]!)?.trim();
  if (text === undefined) throw SoapFault.sender(`${describe(ns, local)} must hold text only`);
  return text === '' ? undefined : text;
}

export function requireAttribute(element: Element, name: string): string {
  const value = element.getAttribute(name)?.trim();
  if (!value) throw SoapFault.sender(`<${element.nodeName}> has no ${name} attribute`);
  return value;
}
