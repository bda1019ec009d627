/**
 * Inbound SOAP 1.2 HTTP bodies, as a Koa route (or an HTTP client reading a response) gets them:
 * a Node Readable plus the Content-Type header, either
 *   application/soap+xml; charset=UTF-8; action="..."                (plain, base64 inline), or
 *   multipart/related; type="application/xop+xml"; start="<root>"; start-info="application/soap+xml";
 *     boundary=...                                                    (MTOM/XOP, RFC 2387 + XOP 1.0).
 * The envelope (plain body or root part, size-bounded) is buffered and parsed safely; attachments
 * stay in the stream and are read on demand through attachments.ts, so memory does not grow with
 * their size.
 */
import os from 'node:os';
import type { Readable } from 'node:stream';
import type { Document, Element } from '@xmldom/xmldom';
import { Attachments, failedStream } from './attachments';
import { readBounded, type BodySource } from './body-source';
import { parseMediaType, normalizeContentId, type MediaType } from './mime-headers';
import { MtomError } from './mtom-error';
import { assertIdentityEncoding, MultipartReader, type PartHeaders } from './multipart-reader';
import { DEFAULT_XML_LIMITS, parseXml, type XmlLimits } from './safe-xml';
import { binaryContent, includedContentIds, type BinaryContent } from './xop';

export type { PartHeaders } from './multipart-reader';
export { describePart } from './multipart-reader';

export interface SoapReadLimits {
  /** Largest envelope: a plain body or the MTOM root part (inline base64 documents count here). */
  maxEnvelopeBytes: number;
  /** Largest MTOM attachment part. */
  maxAttachmentBytes: number;
  /** Most MIME parts (root included). */
  maxParts: number;
  /** Largest header block of one MIME part. */
  maxPartHeaderBytes: number;
  /** Most bytes of the whole multipart body. */
  maxBodyBytes: number;
  /** Structure limits of the envelope XML (depth, element and attribute counts). */
  xml: Partial<Omit<XmlLimits, 'maxBytes'>>;
}

const DEFAULT_SOAP_READ_LIMITS: Readonly<SoapReadLimits> = Object.freeze({
  maxEnvelopeBytes: DEFAULT_XML_LIMITS.maxBytes,
  maxAttachmentBytes: 2 * 1024 ** 3,
  maxParts: 1000,
  maxPartHeaderBytes: 16 * 1024,
  maxBodyBytes: Number.MAX_SAFE_INTEGER,
  xml: {},
});

export interface ReadSoapOptions {
  limits?: Partial<SoapReadLimits>;
  /**
   * Directory for spooling attachments read out of order (see attachments.ts); default the OS
   * temp directory. `false` turns spooling off: attachments must then be read in part order.
   */
  spoolDir?: string | false;
}

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface InboundSoapMessage {
  /** The envelope document (not yet checked as SOAP: see envelope.ts). */
  document: Document;
  packaging: 'plain' | 'mtom';
  /** The `action` media-type parameter (application/soap+xml, the multipart or its start-info), if sent. */
  contentTypeAction: string | undefined;
  /** Attachment stream by Content-ID (no angle brackets, URL-decoded); see Attachments.open. */
  attachment(contentId: string): Readable;
  /** Binary content of an element: its xop:Include resolved to an attachment, or its inline base64. */
  binary(element: Element): BinaryContent;
  /**
   * Reads the body to its end before the caller commits anything: fails (MtomError) if it is
   * truncated or repeats a Content-ID, even after the last part anyone asked for. Resolves
   * with the MIME parts no xop:Include of the envelope references ([] for a plain message).
   * Referenced parts not opened yet can still be opened afterwards.
   */
  complete(): Promise<readonly PartHeaders[]>;
  /**
   * Releases the message: stops reading the body (the rest is drained, not destroyed), fails
   * attachment streams still open, removes spool files. Call it when the handler is done.
   */
  dispose(): Promise<void>;
}

/** The Content-Type from a header object (Node's IncomingHttpHeaders, Koa's ctx.headers) or as is. */
function contentTypeOf(headers: HeaderBag | string | undefined): string | undefined {
  if (headers === undefined || typeof headers === 'string') return headers;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  return typeof entry === 'string' ? entry : entry?.[0];
}

function requireUtf8(type: MediaType, what: string): void {
  const charset = type.params.get('charset');
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new MtomError('UNSUPPORTED_ENCODING', `${what} has charset ${charset.slice(0, 40)}; only UTF-8 is accepted`);
}

const ENVELOPE_TYPES = new Set(['application/soap+xml', 'text/xml']);

function unsupported(contentType: string | undefined): MtomError {
  return new MtomError('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${contentType ? `"${contentType.slice(0, 200)}"` : '(none)'} is not application/soap+xml or MTOM multipart/related`);
}

function noAttachments(): Pick<InboundSoapMessage, 'attachment' | 'binary' | 'complete' | 'dispose'> {
  const source = {
    open: (contentId: string): Readable => failedStream(new MtomError('UNKNOWN_CID', `no MIME part has Content-ID <${contentId}> (the message is not multipart)`)),
  };
  return { attachment: (id) => source.open(id), binary: (e) => binaryContent(e, source), complete: async () => [], dispose: async () => undefined };
}

/**
 * Unpacks a SOAP request (or response) body. Throws MtomError for packaging problems and
 * XmlSafetyError for an envelope that is not safe, well-formed XML; in both cases everything
 * already taken (spool files, the reader) is released.
 */
export async function readSoapMessage(body: BodySource, headers: HeaderBag | string | undefined, opts: ReadSoapOptions = {}): Promise<InboundSoapMessage> {
  const limits: SoapReadLimits = { ...DEFAULT_SOAP_READ_LIMITS, ...opts.limits };
  const xmlLimits: Partial<XmlLimits> = { allowProcessingInstructions: false, ...limits.xml, maxBytes: limits.maxEnvelopeBytes };
  const contentType = contentTypeOf(headers);
  if (!contentType) throw unsupported(contentType);
  const type = parseMediaType(contentType);

  if (ENVELOPE_TYPES.has(type.essence)) {
    requireUtf8(type, 'the SOAP body');
    const bytes = await readBounded(body, limits.maxEnvelopeBytes, () => new MtomError('PART_TOO_LARGE', `SOAP envelope larger than ${limits.maxEnvelopeBytes} bytes`));
    return { document: parseXml(bytes, xmlLimits), packaging: 'plain', contentTypeAction: type.params.get('action'), ...noAttachments() };
  }
  if (type.essence !== 'multipart/related') throw unsupported(contentType);
  const rootType = type.params.get('type')?.toLowerCase();
  if (rootType !== 'application/xop+xml') throw new MtomError('UNSUPPORTED_MEDIA_TYPE', `multipart/related with type ${rootType ?? '(none)'}; MTOM requires type="application/xop+xml"`);
  const boundary = type.params.get('boundary');
  if (!boundary) throw new MtomError('BAD_CONTENT_TYPE', 'multipart/related without a boundary');

  const reader = new MultipartReader(body, boundary, {
    maxHeaderBytes: limits.maxPartHeaderBytes,
    maxParts: limits.maxParts,
    maxPartBytes: limits.maxAttachmentBytes,
    maxBodyBytes: limits.maxBodyBytes,
  });
  const attachments = new Attachments(reader, opts.spoolDir ?? os.tmpdir());
  try {
    const start = type.params.get('start');
    const root = await attachments.readRoot(start === undefined ? undefined : normalizeContentId(start), limits.maxEnvelopeBytes);
    const rootContentType = root.part.contentType === undefined ? undefined : parseMediaType(root.part.contentType);
    if (!rootContentType || (rootContentType.essence !== 'application/xop+xml' && !ENVELOPE_TYPES.has(rootContentType.essence))) {
      throw new MtomError('UNSUPPORTED_MEDIA_TYPE', `MTOM root part has Content-Type ${root.part.contentType ?? '(none)'}; expected application/xop+xml`);
    }
    requireUtf8(rootContentType, 'the MTOM root part');
    assertIdentityEncoding(root.part, 'the MTOM root part');
    const startInfo = type.params.get('start-info');
    const startInfoAction = startInfo === undefined ? undefined : safeAction(startInfo);
    const document = parseXml(root.bytes, xmlLimits);
    attachments.referTo(includedContentIds(document));
    return {
      document,
      packaging: 'mtom',
      contentTypeAction: type.params.get('action') ?? startInfoAction ?? rootContentType.params.get('action'),
      attachment: (id) => attachments.open(id),
      binary: (e) => binaryContent(e, attachments),
      complete: () => attachments.complete(),
      dispose: () => attachments.dispose(),
    };
  } catch (err) {
    await attachments.dispose();
    throw err;
  }
}

/** The action parameter inside start-info ("application/soap+xml; action=..."); a start-info we cannot parse is ignored. */
function safeAction(startInfo: string): string | undefined {
  try {
    return parseMediaType(startInfo).params.get('action');
  } catch {
    return undefined;
  }
}
