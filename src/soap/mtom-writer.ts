/**
 * Outbound SOAP 1.2 HTTP bodies: plain application/soap+xml, or MTOM (multipart/related with an
 * application/xop+xml root part and one binary part per attachment) for ITI-43/ITI-39 responses
 * and ITI-41 requests sent on.
 *
 * The body is a Readable pulled part by part: an attachment is opened only when the writer gets
 * to it and its bytes are passed through as they are read, so a response carrying several large
 * documents holds one chunk at a time, never a whole document. If the receiver goes away (the
 * body stream is destroyed), the attachment being sent is destroyed and later ones never opened.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Document } from '@xmldom/xmldom';
import { toBuffer } from '../bytes';
import type { BodySource } from './body-source';
import { assertHeaderSafeContentId, assertHeaderSafeMediaType, cidUrl, formatMediaType } from './mime-headers';
import { NS } from './namespaces';
import { el, serializeXml, type XmlElementSpec } from './xml-dom';

export interface OutboundAttachment {
  /** Content-ID without angle brackets (newContentId() makes one); the envelope points at it with xopInclude(). */
  contentId: string;
  /** Media type of the part, e.g. the document's mimeType. */
  contentType: string;
  /** The bytes, a stream of them, or a function that opens the stream when the part's turn comes. */
  content: Uint8Array | BodySource | (() => BodySource | Promise<BodySource>);
}

export interface SoapHttpBody {
  /** Value for the Content-Type response header. */
  contentType: string;
  body: Readable;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function newContentId(): string {
  return `${crypto.randomUUID()}@hie-gateway`;
}

/** `<xop:Include href="cid:..."/>`, the placeholder for an attachment inside the envelope. */
export function xopInclude(contentId: string): XmlElementSpec {
  return el(NS.xop, 'xop:Include', { href: cidUrl(contentId) });
}

function envelopeBytes(envelope: Document | string): Buffer {
  return Buffer.from(typeof envelope === 'string' ? envelope : XML_DECLARATION + serializeXml(envelope), 'utf8');
}

/** A single-part SOAP 1.2 body. `action` becomes the optional action media-type parameter (SOAP 1.2 Part 2, 7.1.4). */
export function writePlain(envelope: Document | string, opts: { action?: string } = {}): SoapHttpBody {
  return {
    contentType: formatMediaType('application/soap+xml', { charset: 'UTF-8', action: opts.action }),
    body: Readable.from([envelopeBytes(envelope)], { objectMode: false }),
  };
}

export interface MtomWriteOptions {
  /** Added as the `action` parameter of the multipart Content-Type. */
  action?: string;
  /** Override for tests; by default 192 random bits, which no document will contain by chance. */
  boundary?: string;
}

function partHeader(boundary: string, contentType: string, contentId: string, first: boolean): Buffer {
  const lead = first ? '' : '\r\n';
  return Buffer.from(`${lead}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${contentId}>\r\n\r\n`, 'latin1');
}

async function openContent(content: OutboundAttachment['content']): Promise<BodySource | Uint8Array> {
  return typeof content === 'function' ? content() : content;
}

function destroySource(content: OutboundAttachment['content']): void {
  if (content instanceof Readable) content.destroy();
}

/**
 * An MTOM body from an envelope (with xopInclude() placeholders) and its attachments. Header
 * values are validated up front (TypeError), so nothing a document's metadata says can break
 * out of a MIME header.
 */
export function writeMtom(envelope: Document | string, attachments: readonly OutboundAttachment[], opts: MtomWriteOptions = {}): SoapHttpBody {
  const boundary = opts.boundary ?? `MIMEBoundary_${crypto.randomBytes(24).toString('hex')}`;
  const rootId = `root.${crypto.randomUUID()}@hie-gateway`;
  for (const a of attachments) {
    assertHeaderSafeContentId(a.contentId);
    assertHeaderSafeMediaType(a.contentType);
  }
  const contentType = formatMediaType('multipart/related', {
    type: 'application/xop+xml',
    start: `<${rootId}>`,
    'start-info': 'application/soap+xml',
    action: opts.action,
    boundary,
  });
  const root = envelopeBytes(envelope);

  async function* parts(): AsyncGenerator<Buffer> {
    let next = 0;
    let opened = -1;
    try {
      yield partHeader(boundary, 'application/xop+xml; charset=UTF-8; type="application/soap+xml"', rootId, true);
      yield root;
      for (; next < attachments.length; next++) {
        const a = attachments[next]!;
        yield partHeader(boundary, a.contentType, a.contentId, false);
        const source = await openContent(a.content);
        opened = next;
        if (source instanceof Uint8Array) {
          yield toBuffer(source);
          continue;
        }
        for await (const chunk of source) yield toBuffer(chunk as Buffer | Uint8Array | string);
      }
      yield Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
    } finally {
      // Streams handed in already open but never reached (the receiver went away) are released too;
      // the one being sent was destroyed by leaving its for-await loop.
      for (let k = opened + 1; k < attachments.length; k++) destroySource(attachments[k]!.content);
    }
  }

  return { contentType, body: Readable.from(parts(), { objectMode: false }) };
}
