/**
 * Safe XML parsing for everything that arrives over SOAP: bytes -> UTF-8 text -> lexical pre-scan
 * (limits, no DTD; see xml-scan.ts) -> xmldom DOM. Any failure is an XmlSafetyError; the caller
 * gets either a whole Document or an exception, never a partial tree, and xmldom never prints to
 * the console.
 */
import { DOMParser, type Document } from '@xmldom/xmldom';
import { decodeUtf8Strict } from '../bytes';
import { XmlSafetyError } from './xml-errors';
import { scanXml, type XmlStructureLimits } from './xml-scan';
import { installXmldomRegexCache } from './xmldom-regex-cache';

installXmldomRegexCache();

export interface XmlLimits extends XmlStructureLimits {
  /** Largest document accepted, in bytes of UTF-8. */
  maxBytes: number;
}

/**
 * Defaults sized for XDS: an ITI-41/42 submission of a couple of thousand DocumentEntries
 * (roughly 60-100 elements each) stays inside them, while a hostile document is stopped before it
 * costs much. Elements are the expensive part: xmldom builds roughly 100k elements per second
 * (measured here), so 200k elements bound the CPU a request can cost to a couple of seconds;
 * large text (inline base64 documents) parses at well over 100 MB/s and is bounded by maxBytes.
 */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 100,
  maxElements: 200_000,
  maxAttributesPerElement: 256,
  allowProcessingInstructions: true,
});

/**
 * Bytes to text. SOAP 1.2 messages are UTF-8 in practice (IHE requires it), so that is the only
 * encoding accepted; a UTF-16/UTF-32 byte order mark or invalid UTF-8 is an ENCODING error rather
 * than a silently garbled document.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe) || (b0 === 0x00 && b1 === 0x00) || (b0 === 0x00 && b1 === 0x3c) || (b0 === 0x3c && b1 === 0x00)) {
    throw new XmlSafetyError('ENCODING', 'only UTF-8 XML is accepted (found a UTF-16/UTF-32 byte pattern)');
  }
  try {
    return decodeUtf8Strict(bytes);
  } catch (err) {
    throw new XmlSafetyError('ENCODING', 'XML is not valid UTF-8', { cause: err });
  }
}

/**
 * XML 1.0 end-of-line handling (section 2.11): CRLF and lone CR become LF. xmldom's default
 * follows XML 1.1 and also rewrites U+0085, U+2028 and U+2029, which would alter text values of
 * XML 1.0 documents.
 */
function normalizeXml10LineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * xmldom reports problems through onError at three levels. Without a handler it prints to the
 * console and only throws on fatalError, continuing after "error" with a repaired tree (e.g. an
 * unknown entity kept as text, extra content after the root dropped). Here every report aborts
 * the parse: throwing from onError makes xmldom stop and throw a ParseError of its own, so the
 * handler remembers what it threw and parseXml() rethrows that. The one warning let through is
 * about U+FFFD in the text, a legitimate (if suspicious) character once the bytes were decoded
 * strictly.
 */
function abortingErrorHandler(): { onError: (level: 'warning' | 'error' | 'fatalError', message: string) => void; reported: () => XmlSafetyError | undefined } {
  let first: XmlSafetyError | undefined;
  return {
    onError(level, message) {
      if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
      first ??= new XmlSafetyError('MALFORMED', `malformed XML: ${message.split('\n')[0]}`);
      throw first;
    },
    reported: () => first,
  };
}

/** Parses `input` (bytes are decoded as UTF-8) under `limits`; throws XmlSafetyError. */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): Document {
  const l: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  let text: string;
  if (typeof input === 'string') {
    // A UTF-16 code unit is at most 3 UTF-8 bytes and at least 1: check the cheap bound first.
    if (input.length > l.maxBytes || Buffer.byteLength(input, 'utf8') > l.maxBytes) {
      throw new XmlSafetyError('TOO_LARGE', `XML larger than ${l.maxBytes} bytes`);
    }
    // A byte order mark that survived decoding elsewhere: not content, and xmldom would call it text outside the root.
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    if (input.byteLength > l.maxBytes) throw new XmlSafetyError('TOO_LARGE', `XML larger than ${l.maxBytes} bytes`);
    text = decodeXmlBytes(input);
  }

  const { declaredEncoding } = scanXml(text, l);
  if (declaredEncoding !== undefined && !/^utf-?8$/i.test(declaredEncoding) && typeof input !== 'string') {
    throw new XmlSafetyError('ENCODING', `declared encoding "${declaredEncoding.slice(0, 40)}" is not UTF-8`);
  }

  const handler = abortingErrorHandler();
  let doc: Document;
  try {
    doc = new DOMParser({ onError: handler.onError, locator: false, normalizeLineEndings: normalizeXml10LineEndings }).parseFromString(text, 'application/xml');
  } catch (err) {
    throw handler.reported() ?? new XmlSafetyError('MALFORMED', `malformed XML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
  // Defence in depth: the scan already refused any DOCTYPE, so xmldom must not have built one.
  if (doc.doctype) throw new XmlSafetyError('DTD_FORBIDDEN', 'DOCTYPE is not accepted');
  if (!doc.documentElement) throw new XmlSafetyError('MALFORMED', 'malformed XML: no root element');
  return doc;
}
