/**
 * SOAP 1.2 envelope (SOAP 1.2 Part 1, 5): structure checks on a parsed document, the header
 * blocks addressed to us and the mustUnderstand rule (Part 1, 2.4 and 5.2.3), and building
 * envelopes to send.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { mustUnderstandFault, SoapFault, versionMismatchFault } from './fault';
import { NS, PREFIX, SOAP_ROLE, clark, type QName } from './namespaces';
import { buildDocument, el, elementChildren, hasName, xmlns, type XmlContent, type XmlElementSpec } from './xml-dom';
import { renderXml } from './xml-render';

export interface HeaderBlock {
  element: Element;
  ns: string;
  local: string;
  /** env:mustUnderstand as a boolean (absent = false). */
  mustUnderstand: boolean;
  /** env:role; absent means the ultimate receiver. */
  role: string;
  /** env:relay (only meaningful to intermediaries; kept for completeness). */
  relay: boolean;
}

export interface SoapEnvelope {
  document: Document;
  envelope: Element;
  header: Element | undefined;
  /** Every header block, in document order, whatever its role. */
  headerBlocks: HeaderBlock[];
  body: Element;
  /** Element children of env:Body (the payload; one for every IHE transaction). */
  bodyElements: Element[];
}

/** xs:boolean as SOAP 1.2 uses it for env:mustUnderstand and env:relay (Part 1, 5.2.3). */
function booleanAttribute(element: Element, local: string): boolean {
  if (!element.hasAttributeNS(NS.soap12, local)) return false;
  const value = (element.getAttributeNS(NS.soap12, local) ?? '').trim();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw SoapFault.sender(`env:${local}="${value.slice(0, 20)}" on header block ${clark(element.namespaceURI, element.localName ?? '')} is not a boolean`);
}

function headerBlock(element: Element): HeaderBlock {
  // Part 1, 5.2: "Each SOAP header block element information item MUST be namespace qualified".
  if (!element.namespaceURI) throw SoapFault.sender(`header block <${element.localName}> is not namespace qualified`);
  const role = element.hasAttributeNS(NS.soap12, 'role') ? (element.getAttributeNS(NS.soap12, 'role') ?? '').trim() : '';
  return {
    element,
    ns: element.namespaceURI,
    local: element.localName ?? '',
    mustUnderstand: booleanAttribute(element, 'mustUnderstand'),
    role: role === '' ? SOAP_ROLE.ultimateReceiver : role,
    relay: booleanAttribute(element, 'relay'),
  };
}

/**
 * Checks that `doc` is a SOAP 1.2 envelope: env:Envelope holding an optional env:Header and then
 * env:Body, nothing else. Throws SoapFault: VersionMismatch for any other document element
 * (a SOAP 1.1 envelope included), Sender for a malformed structure.
 */
export function parseEnvelope(doc: Document): SoapEnvelope {
  const envelope = doc.documentElement;
  if (!envelope || !hasName(envelope, NS.soap12, 'Envelope')) {
    const found = envelope ? clark(envelope.namespaceURI, envelope.localName ?? envelope.nodeName) : 'no document element';
    throw versionMismatchFault(found);
  }
  const children = elementChildren(envelope);
  let i = 0;
  const header = children[i] && hasName(children[i]!, NS.soap12, 'Header') ? children[i++] : undefined;
  const body = children[i];
  if (!body || !hasName(body, NS.soap12, 'Body')) throw SoapFault.sender('env:Envelope must contain env:Body (after an optional env:Header)');
  if (children.length > i + 1) throw SoapFault.sender('env:Envelope has elements after env:Body');
  return {
    document: doc,
    envelope,
    header,
    headerBlocks: header ? elementChildren(header).map(headerBlock) : [],
    body,
    bodyElements: elementChildren(body),
  };
}

/** Roles this node plays: the two every SOAP node plays (Part 1, 2.2), plus any configured. */
export function targetedRoles(extra: Iterable<string> = []): ReadonlySet<string> {
  return new Set([SOAP_ROLE.next, SOAP_ROLE.ultimateReceiver, ...extra]);
}

/** Header blocks addressed to a node playing `roles` (role "none" never is). */
export function targetedHeaders(env: SoapEnvelope, roles: ReadonlySet<string> = targetedRoles()): HeaderBlock[] {
  return env.headerBlocks.filter((h) => roles.has(h.role));
}

/**
 * Part 1, 5.2.3 / 5.4.8: every header block addressed to us with mustUnderstand="true" must be one
 * we understand, else the whole message is refused with a MustUnderstand fault naming each such
 * block, before anything else is processed. `understood` holds Clark names (`{ns}local`); the
 * WS-Addressing headers are added by the dispatcher, WS-Security by the security layer.
 */
export function checkMustUnderstand(env: SoapEnvelope, understood: ReadonlySet<string>, roles: ReadonlySet<string> = targetedRoles()): void {
  const missing: QName[] = targetedHeaders(env, roles)
    .filter((h) => h.mustUnderstand && !understood.has(clark(h.ns, h.local)))
    .map((h) => ({ ns: h.ns, local: h.local }));
  if (missing.length > 0) throw mustUnderstandFault(missing);
}

export interface EnvelopeContent {
  /** Header blocks (element specs or DOM elements). */
  headers?: readonly XmlContent[];
  /** Children of env:Body. */
  body: readonly XmlContent[];
}

/**
 * The envelope element. env: and wsa: are declared on env:Envelope so that header blocks and
 * QName-valued texts written with them resolve everywhere in the message.
 */
function envelopeSpec(content: EnvelopeContent): XmlElementSpec {
  const headers = content.headers ?? [];
  return el(NS.soap12, `${PREFIX[NS.soap12]}:Envelope`, {},
    xmlns(PREFIX[NS.soap12]!, NS.soap12),
    xmlns(PREFIX[NS.wsa]!, NS.wsa),
    headers.length > 0 && el(NS.soap12, 'env:Header', {}, ...headers),
    el(NS.soap12, 'env:Body', {}, ...content.body),
  );
}

/** The envelope as a document (to sign or inspect before sending). */
export function buildEnvelope(content: EnvelopeContent): Document {
  return buildDocument(envelopeSpec(content));
}

/** The envelope as XML text (no declaration), rendered without a DOM: what replies are sent as. */
export function renderEnvelope(content: EnvelopeContent): string {
  return renderXml(envelopeSpec(content));
}
