/**
 * XOP (XML-binary Optimized Packaging 1.0): the binary content of an element such as an ITI-41
 * xdsb:Document or an ITI-43 response Document, which a sender may put either in an MTOM part
 * referenced by `<xop:Include href="cid:..."/>` or inline as base64 text. Handlers call
 * binaryContent() and get a stream either way.
 */
import { Readable } from 'node:stream';
import type { Document, Element } from '@xmldom/xmldom';
import { contentIdFromCidUrl } from './mime-headers';
import { MtomError } from './mtom-error';
import { NS } from './namespaces';
import { elementChildren, hasName, ownText, simpleText } from './xml-dom';

export interface AttachmentSource {
  open(contentId: string): Readable;
}

export type BinaryContent =
  | {
      kind: 'attachment';
      /** Content-ID of the MIME part (no angle brackets). */
      contentId: string;
      /** xmime:contentType of the element, if given. */
      contentType: string | undefined;
      /** The part's bytes; can be opened once. Errors (unknown cid, truncation) arrive as stream errors. */
      open(): Readable;
    }
  | {
      kind: 'inline';
      contentType: string | undefined;
      bytes: Buffer;
      open(): Readable;
    };

/**
 * Strict base64 (RFC 4648 alphabet, whitespace between characters allowed as in xs:base64Binary):
 * Buffer.from(..., 'base64') silently skips invalid characters, which would turn a corrupted
 * document into different bytes instead of an error.
 */
function decodeBase64Strict(text: string): Buffer {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  // A character class test, not one anchored repeating pattern: that would backtrack per group on megabytes of text.
  if (compact.length % 4 !== 0 || /[^A-Za-z0-9+/]/.test(compact.slice(0, compact.length - padding))) {
    throw new MtomError('BAD_XOP', 'inline binary content is not valid base64');
  }
  return Buffer.from(compact, 'base64');
}

/**
 * The content of `element`: an xop:Include child (which must be its only child, XOP 1.0 3.2 /
 * 3.3) resolved against `attachments`, or else its text decoded as base64.
 */
export function binaryContent(element: Element, attachments: AttachmentSource): BinaryContent {
  const contentType = element.getAttributeNS(NS.xmime, 'contentType') ?? undefined;
  const children = elementChildren(element);
  const include = children.find((c) => hasName(c, NS.xop, 'Include'));
  if (include) {
    if (children.length !== 1 || ownText(element).trim() !== '') {
      throw new MtomError('BAD_XOP', `xop:Include must be the only content of <${element.nodeName}>`);
    }
    const contentId = contentIdFromCidUrl(include.getAttribute('href') ?? '');
    if (contentId === undefined) throw new MtomError('BAD_XOP', 'xop:Include href is not a cid: URL');
    return { kind: 'attachment', contentId, contentType, open: () => attachments.open(contentId) };
  }
  const text = simpleText(element);
  if (text === undefined) throw new MtomError('BAD_XOP', `<${element.nodeName}> holds elements, not binary content`);
  const bytes = decodeBase64Strict(text);
  return { kind: 'inline', contentType, bytes, open: () => Readable.from([bytes], { objectMode: false }) };
}

/** The Content-IDs the document's xop:Include elements name (hrefs that are no cid: URL name none). */
export function includedContentIds(document: Document): Set<string> {
  const ids = new Set<string>();
  const includes = document.getElementsByTagNameNS(NS.xop, 'Include');
  for (let i = 0; i < includes.length; i++) {
    const id = contentIdFromCidUrl(includes.item(i)?.getAttribute('href') ?? '');
    if (id !== undefined) ids.add(id);
  }
  return ids;
}
