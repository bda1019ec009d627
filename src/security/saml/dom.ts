/**
 * The DOM helpers the verifier needs beyond the SOAP layer's. Lookups go to direct children only: a descendant search would also find elements
 * nested where they carry no meaning (an Assertion inside Advice, a Signature inside an Object),
 * which is exactly what signature-wrapping attacks plant.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { childrenNamed, isElement } from '../../soap/xml-dom';
import { XuaError } from './errors';

// Child lookup and text are the SOAP layer's (direct children only, as this file needs).
export { childrenNamed, elementChildren, hasName, isElement, simpleText } from '../../soap/xml-dom';

/** The single child {ns}local; undefined when absent, XuaError when repeated (the schema allows one). */
export function optionalChild(parent: Element, ns: string, local: string): Element | undefined {
  const found = childrenNamed(parent, ns, local);
  if (found.length > 1) throw new XuaError(`${parent.localName} has ${found.length} ${local} elements`);
  return found[0];
}

/** The single child {ns}local, which must be there. */
export function requiredChild(parent: Element, ns: string, local: string): Element {
  const found = optionalChild(parent, ns, local);
  if (!found) throw new XuaError(`${parent.localName} has no ${local}`);
  return found;
}

/** An attribute without namespace; undefined when absent (xmldom answers '' or null depending on version). */
export function attribute(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? '') : undefined;
}

/** Every element of a document (the root included), without recursion so depth cannot hurt. */
export function* allElements(doc: Document): Generator<Element> {
  const stack: Node[] = doc.documentElement ? [doc.documentElement] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    yield node;
    for (let c = node.lastChild; c; c = c.previousSibling) if (isElement(c)) stack.push(c);
  }
}

/** XML 1.0 end-of-line handling only; xmldom's default (XML 1.1) would also rewrite U+2028 in values. */
function xml10LineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Parses canonical XML that came out of the signature check. It never has a DOCTYPE (C14N drops
 * it), so one appearing means something is badly wrong: refuse it on the text, before any parser
 * could act on a DTD. Every parser complaint aborts; a repaired tree would no longer be what was
 * signed.
 */
export function parseSignedXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new XuaError('signed content contains a DOCTYPE');
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      normalizeLineEndings: xml10LineEndings,
      onError: (level, message) => {
        throw new XuaError(`signed content is not well-formed XML (${level}: ${String(message).split('\n')[0]})`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (err) {
    if (err instanceof XuaError) throw err;
    // xmldom wraps what onError threw in a ParseError; the original is its cause.
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof XuaError) throw cause;
    throw new XuaError('signed content is not well-formed XML', { cause: err });
  }
  if (doc.doctype || !doc.documentElement) throw new XuaError('signed content is not a single XML element');
  return doc;
}
