/**
 * Small DOM toolkit shared by the SOAP layer and the front ends: namespace-aware child lookup,
 * QName-valued text, and an element builder whose output is always well-formed.
 *
 * Why build through the DOM instead of string templates: every name and value goes through
 * xmldom's XMLSerializer, which escapes text and attribute values and (with requireWellFormed)
 * refuses names that are not QNames, so no value can inject markup. Text and attribute values are
 * additionally stripped of characters XML 1.0 cannot carry (they would otherwise come out as
 * `&#1;`, which no parser accepts), so an error message quoted into a fault never breaks it.
 */
import { DOMImplementation, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { NS, PREFIX, type QName } from './namespaces';
import { NOT_XML_CHAR } from './xml-scan';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

/** Element children in document order (text, comments and PIs skipped). */
export function elementChildren(parent: Node): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** True when `el` is the element {ns}local. */
export function hasName(el: Element, ns: string | null, local: string): boolean {
  return el.localName === local && (el.namespaceURI ?? null) === ns;
}

export function childrenNamed(parent: Node, ns: string | null, local: string): Element[] {
  return elementChildren(parent).filter((e) => hasName(e, ns, local));
}

export function childNamed(parent: Node, ns: string | null, local: string): Element | undefined {
  return elementChildren(parent).find((e) => hasName(e, ns, local));
}

/** Concatenated text and CDATA children (not descendants); element children are skipped. */
export function ownText(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += (n as unknown as { data: string }).data;
  }
  return text;
}

/** ownText() of an element without element children; undefined when it has some. */
export function simpleText(el: Element): string | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) return undefined;
  return ownText(el);
}

/** Resolves a QName written as element text (e.g. `env:Sender`) against the namespaces in scope of `el`. */
export function qnameFromText(el: Element, value: string): QName | undefined {
  const text = value.trim();
  const colon = text.indexOf(':');
  const prefix = colon === -1 ? null : text.slice(0, colon);
  const local = colon === -1 ? text : text.slice(colon + 1);
  if (!local || local.includes(':')) return undefined;
  const ns = el.lookupNamespaceURI(prefix);
  if (ns === null) return undefined;
  return prefix === null ? { ns, local } : { ns, local, prefix };
}

// ----------------------------------------------------------------------------- building

const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, 'g');

/** `value` with characters XML 1.0 cannot carry (and unpaired surrogates) replaced by U+FFFD. */
export function xmlSafeText(value: string): string {
  return value.replace(NOT_XML_CHARS, '\uFFFD');
}

export interface XmlAttributeSpec {
  readonly kind: 'attribute';
  readonly ns: string | null;
  /** Qualified name, e.g. `xml:lang` or `wsa:IsReferenceParameter`. */
  readonly name: string;
  readonly value: string;
}

export interface XmlElementSpec {
  readonly kind: 'element';
  readonly ns: string | null;
  /** Qualified name: `prefix:local` or `local` (then in `ns` as default namespace). */
  readonly name: string;
  readonly children: readonly XmlContent[];
}

/** What may go inside an element: nested specs, attributes, text, or DOM nodes (imported, deep). */
export type XmlContent = XmlElementSpec | XmlAttributeSpec | string | Node;
type Optional<T> = T | undefined | null | false;

/**
 * Describes an element. `attrs` holds unqualified attributes (undefined/null values are left out);
 * namespaced ones go in `children` as attr(...). Falsy children are skipped, so conditional
 * content reads naturally: `el(ns, 'x', {}, cond && el(...))`.
 */
export function el(ns: string | null, name: string, attrs: Readonly<Record<string, string | number | boolean | undefined | null>> = {}, ...children: Optional<XmlContent>[]): XmlElementSpec {
  const plain: XmlContent[] = Object.entries(attrs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null)
    .map(([k, v]) => attr(null, k, String(v)));
  return { kind: 'element', ns, name, children: [...plain, ...children.filter((c): c is XmlContent => c !== undefined && c !== null && c !== false)] };
}

export function attr(ns: string | null, name: string, value: string): XmlAttributeSpec {
  return { kind: 'attribute', ns, name, value };
}

/** A namespace declaration, e.g. to put `xmlns:wsa` on an element whose text holds a `wsa:` QName. */
export function xmlns(prefix: string, ns: string): XmlAttributeSpec {
  return attr(NS.xmlns, `xmlns:${prefix}`, ns);
}

/** Prefixes a QName-valued text must not rebind: the XML ones and the one our envelopes use. */
const RESERVED_PREFIXES = new Set(['xml', 'xmlns', PREFIX[NS.soap12]]);
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `prefix:local` for a QName written as text, with the declaration that makes it resolvable.
 * Our usual prefix for the namespace wins, then the QName's own if it is a plain NCName that does
 * not rebind a reserved one, else `q`.
 */
export function qnameText(q: QName): { text: string; declaration: XmlAttributeSpec } {
  const wanted = PREFIX[q.ns] ?? q.prefix;
  const prefix = wanted !== undefined && NCNAME.test(wanted) && (!RESERVED_PREFIXES.has(wanted) || PREFIX[q.ns] === wanted) ? wanted : 'q';
  return { text: `${prefix}:${q.local}`, declaration: xmlns(prefix, q.ns) };
}

/** Whether content is an element or attribute spec (not text, not a DOM node). */
export function isSpec(c: XmlContent): c is XmlElementSpec | XmlAttributeSpec {
  return typeof c === 'object' && c !== null && 'kind' in c && (c.kind === 'element' || c.kind === 'attribute');
}

function appendContent(doc: Document, parent: Element, content: readonly XmlContent[]): void {
  for (const c of content) {
    if (typeof c === 'string') parent.appendChild(doc.createTextNode(xmlSafeText(c)));
    else if (!isSpec(c)) parent.appendChild(c.ownerDocument === doc ? c : doc.importNode(c, true));
    else if (c.kind === 'attribute') parent.setAttributeNS(c.ns, c.name, xmlSafeText(c.value));
    else parent.appendChild(createElement(doc, c));
  }
}

export function createElement(doc: Document, spec: XmlElementSpec): Element {
  const e = doc.createElementNS(spec.ns, spec.name);
  appendContent(doc, e, spec.children);
  return e;
}

/** A new document whose root element is built from `root`. */
export function buildDocument(root: XmlElementSpec): Document {
  const doc = new DOMImplementation().createDocument(root.ns, root.name, null);
  appendContent(doc, doc.documentElement!, root.children);
  return doc;
}

const serializer = new XMLSerializer();

const PROCESSING_INSTRUCTION_NODE = 7;

/**
 * xmldom keeps a parsed document's XML declaration as a processing instruction whose target
 * ("xml") its own well-formedness check then refuses; a declaration is not content, so it is left
 * out rather than failing the serialisation of a document we parsed.
 */
function withoutXmlDeclaration(node: Node): Node | null {
  return node.nodeType === PROCESSING_INSTRUCTION_NODE && node.nodeName.toLowerCase() === 'xml' ? null : node;
}

/** Serialises without an XML declaration; throws rather than emit ill-formed XML. */
export function serializeXml(node: Node): string {
  return serializer.serializeToString(node, { requireWellFormed: true, nodeFilter: withoutXmlDeclaration });
}
