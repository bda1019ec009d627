/**
 * Lexical pre-scan of an XML document, run before xmldom sees it.
 *
 * Why a scanner of our own in front of xmldom: xmldom is lenient (it accepts `a & b`, unquoted
 * attributes, control characters, and auto-closes some truncated documents with only an "error"
 * report), it has no depth, element or attribute limits, and it parses a DOCTYPE and its internal
 * subset. This scan is one linear pass with no backtracking and memory bounded by the depth limit:
 * it refuses any DOCTYPE or markup declaration (so no external entities, no entity expansion,
 * no billion laughs), enforces the limits as soon as they are crossed (a 100k-deep document stops
 * at the first element past the limit), and checks the tag structure, references and characters,
 * so a truncated document is reported as MALFORMED however it was cut. xmldom then only has to
 * build the tree of a document already known to be small enough and well-formed at this level
 * (namespaces and duplicate attributes are still xmldom's checks).
 */
import { XmlSafetyError } from './xml-errors';

export interface XmlStructureLimits {
  /** Deepest element nesting allowed (the root element is depth 1). */
  maxDepth: number;
  /** Most elements allowed in the document. */
  maxElements: number;
  /** Most attributes (namespace declarations included) allowed on one element. */
  maxAttributesPerElement: number;
  /** Processing instructions other than the XML declaration; SOAP 1.2 forbids them. */
  allowProcessingInstructions: boolean;
}

export interface XmlScanResult {
  elements: number;
  /** The `encoding` pseudo-attribute of the XML declaration, if any. */
  declaredEncoding: string | undefined;
}

// XML 1.0 (5th ed.) Name, with astral characters admitted through their surrogates.
const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\uD800-\\uDBFF';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040\\uDC00-\\uDFFF`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'y');
/** Characters outside the XML 1.0 Char production, and unpaired surrogates. */
export const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Without a DTD only the five predefined entities and character references exist. */
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));/y;
const ENCODING_DECL = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isXmlCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

class Scanner {
  private i = 0;
  private readonly stack: string[] = [];
  private elements = 0;
  private rootSeen = false;
  /** Last indexOf answer per needle; see nextIndex(). */
  private readonly found = new Map<string, number>();

  constructor(private readonly s: string, private readonly limits: XmlStructureLimits) {}

  run(): XmlScanResult {
    const s = this.s;
    const bad = NOT_XML_CHAR.exec(s);
    if (bad) throw this.malformed(`character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, bad.index);
    const declaredEncoding = this.xmlDeclaration();
    while (this.i < s.length) {
      const lt = s.indexOf('<', this.i);
      const textEnd = lt === -1 ? s.length : lt;
      if (textEnd > this.i) this.text(this.i, textEnd);
      if (lt === -1) break;
      this.i = lt;
      this.markup();
    }
    if (this.stack.length > 0) throw this.malformed(`document ends inside element <${this.stack[this.stack.length - 1]}> (truncated?)`, s.length);
    if (!this.rootSeen) throw this.malformed('no root element', s.length);
    return { elements: this.elements, declaredEncoding };
  }

  /**
   * First index of `needle` at or after `from`, for non-decreasing `from`. indexOf alone would
   * rescan to the next occurrence on every call, which is quadratic when the needle is rare
   * (a 16 MB document with one '&' at its end); remembering the last answer makes it linear.
   */
  private nextIndex(needle: string, from: number): number {
    let at = this.found.get(needle);
    if (at === undefined || (at !== -1 && at < from)) {
      at = this.s.indexOf(needle, from);
      this.found.set(needle, at);
    }
    return at;
  }

  private malformed(what: string, at = this.i): XmlSafetyError {
    return new XmlSafetyError('MALFORMED', `malformed XML at offset ${at}: ${what}`);
  }

  private truncated(construct: string): XmlSafetyError {
    return this.malformed(`document ends inside ${construct} (truncated?)`, this.s.length);
  }

  private xmlDeclaration(): string | undefined {
    const s = this.s;
    if (!s.startsWith('<?xml', this.i) || !isSpace(s.charCodeAt(this.i + 5))) return undefined;
    const end = s.indexOf('?>', this.i);
    if (end === -1) throw this.truncated('the XML declaration');
    const m = ENCODING_DECL.exec(s.slice(this.i, end));
    this.i = end + 2;
    return m ? (m[1] ?? m[2]) : undefined;
  }

  /** Character data between markup: references must resolve, and outside the root only whitespace may appear. */
  private text(start: number, end: number): void {
    const s = this.s;
    if (this.stack.length === 0) {
      for (let k = start; k < end; k++) {
        if (!isSpace(s.charCodeAt(k))) throw this.malformed(this.rootSeen ? 'content after the root element' : 'content before the root element', k);
      }
      return;
    }
    const cdataEnd = this.nextIndex(']]>', start);
    if (cdataEnd !== -1 && cdataEnd + 3 <= end) throw this.malformed("']]>' in character data", cdataEnd);
    this.references(start, end);
  }

  private references(start: number, end: number): void {
    const s = this.s;
    let amp = this.nextIndex('&', start);
    while (amp !== -1 && amp < end) {
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(s);
      if (!m || REFERENCE.lastIndex > end) throw this.malformed('undefined entity or malformed reference (only &amp; &lt; &gt; &quot; &apos; and character references exist without a DTD)', amp);
      const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : m[2] !== undefined ? Number.parseInt(m[2], 16) : undefined;
      if (cp !== undefined && !isXmlCodePoint(cp)) throw this.malformed(`character reference to U+${cp.toString(16).toUpperCase()} is not an XML character`, amp);
      amp = this.nextIndex('&', REFERENCE.lastIndex);
    }
  }

  private markup(): void {
    const s = this.s;
    const next = s.charCodeAt(this.i + 1);
    if (next === 0x21 /* ! */) return this.bang();
    if (next === 0x3f /* ? */) return this.processingInstruction();
    if (next === 0x2f /* / */) return this.endTag();
    if (Number.isNaN(next)) throw this.truncated('a tag');
    return this.startTag();
  }

  private skipPast(terminator: string, from: number, construct: string): void {
    const end = this.s.indexOf(terminator, from);
    if (end === -1) throw this.truncated(construct);
    this.i = end + terminator.length;
  }

  private bang(): void {
    const s = this.s;
    if (s.startsWith('<!--', this.i)) return this.skipPast('-->', this.i + 4, 'a comment');
    if (s.startsWith('<![CDATA[', this.i)) {
      if (this.stack.length === 0) throw this.malformed('CDATA section outside the root element');
      return this.skipPast(']]>', this.i + 9, 'a CDATA section');
    }
    // <!DOCTYPE, <!ENTITY, <!ELEMENT, ...: DTD syntax in any form is refused before anything reads it.
    if (/^<!\[?[A-Za-z]/.test(s.slice(this.i, this.i + 4))) {
      throw new XmlSafetyError('DTD_FORBIDDEN', `DOCTYPE and other markup declarations are not accepted (offset ${this.i})`);
    }
    if (this.i + 4 > s.length) throw this.truncated('markup');
    throw this.malformed("'<!' that starts no comment or CDATA section");
  }

  private processingInstruction(): void {
    const target = this.name(this.i + 2);
    if (target === undefined) {
      if (this.i + 2 >= this.s.length) throw this.truncated('a processing instruction');
      throw this.malformed('processing instruction without a target');
    }
    if (target.toLowerCase() === 'xml') throw this.malformed('XML declaration not at the start of the document');
    if (!this.limits.allowProcessingInstructions) throw new XmlSafetyError('PI_FORBIDDEN', `processing instruction <?${target.slice(0, 64)}?> not allowed (offset ${this.i})`);
    this.skipPast('?>', this.i + 2 + target.length, 'a processing instruction');
  }

  private name(at: number): string | undefined {
    NAME.lastIndex = at;
    const m = NAME.exec(this.s);
    return m ? m[0] : undefined;
  }

  private skipSpace(at: number): number {
    let k = at;
    while (isSpace(this.s.charCodeAt(k))) k++;
    return k;
  }

  private endTag(): void {
    const s = this.s;
    const name = this.name(this.i + 2);
    if (name === undefined) throw this.i + 2 >= s.length ? this.truncated('an end tag') : this.malformed('end tag without a name');
    const open = this.stack[this.stack.length - 1];
    const k = this.skipSpace(this.i + 2 + name.length);
    if (k >= s.length) throw this.truncated(`end tag </${name}>`);
    if (s.charCodeAt(k) !== 0x3e /* > */) throw this.malformed(`unexpected character in end tag </${name}>`, k);
    if (open !== name) throw this.malformed(open === undefined ? `end tag </${name}> without a start tag` : `end tag </${name}> does not match <${open}>`);
    this.stack.pop();
    this.i = k + 1;
  }

  private startTag(): void {
    const s = this.s;
    const name = this.name(this.i + 1);
    if (name === undefined) throw this.malformed("'<' that starts no tag (escape it as &lt;)");
    if (this.stack.length === 0 && this.rootSeen) throw this.malformed('a second root element');
    this.rootSeen = true;
    if (++this.elements > this.limits.maxElements) throw new XmlSafetyError('TOO_MANY_ELEMENTS', `more than ${this.limits.maxElements} elements`);
    if (this.stack.length + 1 > this.limits.maxDepth) throw new XmlSafetyError('TOO_DEEP', `elements nested deeper than ${this.limits.maxDepth} levels`);

    let k = this.i + 1 + name.length;
    let attributes = 0;
    for (;;) {
      const afterSpace = this.skipSpace(k);
      if (afterSpace >= s.length) throw this.truncated(`start tag <${name}>`);
      const c = s.charCodeAt(afterSpace);
      if (c === 0x3e /* > */) {
        this.stack.push(name);
        this.i = afterSpace + 1;
        return;
      }
      if (c === 0x2f /* / */) {
        if (afterSpace + 1 >= s.length) throw this.truncated(`start tag <${name}>`);
        if (s.charCodeAt(afterSpace + 1) !== 0x3e) throw this.malformed(`'/' not followed by '>' in <${name}>`, afterSpace);
        this.i = afterSpace + 2;
        return;
      }
      if (afterSpace === k) throw this.malformed(`whitespace required before an attribute in <${name}>`, k);
      k = this.attribute(afterSpace, name);
      if (++attributes > this.limits.maxAttributesPerElement) {
        throw new XmlSafetyError('TOO_MANY_ATTRIBUTES', `more than ${this.limits.maxAttributesPerElement} attributes on <${name}>`);
      }
    }
  }

  /** Parses `name = "value"` at `at`; returns the offset after the closing quote. */
  private attribute(at: number, element: string): number {
    const s = this.s;
    const attr = this.name(at);
    if (attr === undefined) throw this.malformed(`bad attribute name in <${element}>`, at);
    let k = this.skipSpace(at + attr.length);
    if (k >= s.length) throw this.truncated(`start tag <${element}>`);
    if (s.charCodeAt(k) !== 0x3d /* = */) throw this.malformed(`attribute ${attr} of <${element}> has no value`, k);
    k = this.skipSpace(k + 1);
    if (k >= s.length) throw this.truncated(`start tag <${element}>`);
    const quote = s[k];
    if (quote !== '"' && quote !== "'") throw this.malformed(`value of attribute ${attr} of <${element}> is not quoted`, k);
    const close = s.indexOf(quote, k + 1);
    if (close === -1) throw this.truncated(`attribute ${attr} of <${element}>`);
    const lt = this.nextIndex('<', k + 1);
    if (lt !== -1 && lt < close) throw this.malformed(`'<' in the value of attribute ${attr} of <${element}>`, lt);
    this.references(k + 1, close);
    return close + 1;
  }
}

/** Checks `text` against the limits and the lexical rules above; throws XmlSafetyError on the first problem. */
export function scanXml(text: string, limits: XmlStructureLimits): XmlScanResult {
  return new Scanner(text, limits).run();
}
