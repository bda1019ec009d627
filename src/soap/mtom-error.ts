/**
 * Why a SOAP HTTP message could not be unpacked (Content-Type, MIME multipart, XOP). The SOAP
 * front end answers each with a Sender fault (status 400; 415 for an unsupported media type);
 * an attachment stream reports them as its 'error'.
 */
export type MtomErrorCode =
  /** Content-Type is neither application/soap+xml nor MTOM multipart/related (HTTP 415). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A Content-Type header that cannot be parsed, or multipart without a usable boundary. */
  | 'BAD_CONTENT_TYPE'
  /** Multipart syntax errors: bad part headers, a part after the last, ... */
  | 'MALFORMED_MULTIPART'
  /** The body ended before the closing boundary (or inside a part's headers). */
  | 'TRUNCATED'
  /** No part has the Content-ID named by `start`, or there are no parts at all. */
  | 'MISSING_ROOT'
  /** An xop:Include (or a requested Content-ID) names no part of the message. */
  | 'UNKNOWN_CID'
  /** A part is larger than its limit (the root part or an attachment). */
  | 'PART_TOO_LARGE'
  /** The whole body is larger than the configured limit. */
  | 'BODY_TOO_LARGE'
  | 'TOO_MANY_PARTS'
  /** A part's header block is larger than the limit. */
  | 'HEADERS_TOO_LARGE'
  /** A Content-Transfer-Encoding other than binary/8bit/7bit, or a charset other than UTF-8. */
  | 'UNSUPPORTED_ENCODING'
  /** Two parts with the same Content-ID. */
  | 'DUPLICATE_CID'
  /** A MIME part that no xop:Include of the envelope references (XOP parts exist to be included). */
  | 'UNREFERENCED_PART'
  /** An attachment stream was requested a second time. */
  | 'ALREADY_CONSUMED'
  /** Out-of-order access with spooling turned off. */
  | 'OUT_OF_ORDER'
  /** xop:Include misused (not alone in its element, no cid: href) or inline content that is not base64. */
  | 'BAD_XOP'
  /** The message was disposed of before the attachment was read. */
  | 'DISPOSED';

export class MtomError extends Error {
  readonly code: MtomErrorCode;

  constructor(code: MtomErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MtomError';
    this.code = code;
  }
}
