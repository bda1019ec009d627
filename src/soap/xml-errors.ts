/**
 * Why an XML document was refused. Every failure of safe parsing is one of these, so a caller
 * maps it to a SOAP Sender fault without string matching, and never sees a partial document.
 */
export type XmlSafetyCode =
  /** More bytes than the configured limit. */
  | 'TOO_LARGE'
  /** Elements nested deeper than the limit. */
  | 'TOO_DEEP'
  /** More elements in the document than the limit. */
  | 'TOO_MANY_ELEMENTS'
  /** More attributes (namespace declarations included) on one element than the limit. */
  | 'TOO_MANY_ATTRIBUTES'
  /** A DOCTYPE or other markup declaration: refused outright (no DTD, no entities, no XXE). */
  | 'DTD_FORBIDDEN'
  /** A processing instruction where the caller forbids them (SOAP 1.2 Part 1, 5). */
  | 'PI_FORBIDDEN'
  /** Bytes that are not UTF-8, or a declared encoding other than UTF-8. */
  | 'ENCODING'
  /** Not well-formed, including truncated documents. */
  | 'MALFORMED';

export class XmlSafetyError extends Error {
  readonly code: XmlSafetyCode;

  constructor(code: XmlSafetyCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XmlSafetyError';
    this.code = code;
  }
}
