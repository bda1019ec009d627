/**
 * Pull-based streaming parser for MIME multipart bodies (RFC 2046 5.1; used here for MTOM's
 * multipart/related, RFC 2387).
 *
 * Why hand-written: the maintained streaming parsers on npm (busboy, @fastify/busboy, formidable)
 * accept multipart/form-data only and turn parts into form fields/files; the generic one, dicer,
 * is unmaintained and has an unfixed crash on crafted headers (CVE-2022-24434); the others that
 * accept multipart/related (meros and similar) buffer whole parts. MTOM needs the opposite:
 * parts as byte streams, in order, with backpressure, so a 500 MB document never sits in memory.
 *
 * Pull-based on purpose: nothing is read from the source until the consumer asks for the next
 * chunk (read()) or the next part (nextPart()), so backpressure is simply "don't ask", and at
 * most one source chunk plus one delimiter's length is buffered.
 *
 * Tolerance (RFC 2046 5.1.1 and real senders): the CRLF before a delimiter is part of the
 * delimiter, a bare LF is accepted as well; transport padding (spaces, tabs) after a boundary
 * is ignored; the preamble and epilogue are discarded; header lines may end in LF. A line that
 * only starts with the boundary (`--boundaryX`) is data.
 */
import { toBuffer } from '../bytes';
import { abandonBody, bodyIterator, type BodySource } from './body-source';
import { MtomError } from './mtom-error';
import { normalizeContentId, parseHeaderBlock } from './mime-headers';

export interface MultipartLimits {
  /** Largest header block of one part. */
  maxHeaderBytes: number;
  /** Most parts in the body. */
  maxParts: number;
  /** Largest body of one part, unless the caller sets another limit for the current part. */
  maxPartBytes: number;
  /** Most bytes read from the source in all (preamble and epilogue included). */
  maxBodyBytes: number;
}

export interface PartHeaders {
  /** All headers, names lower-cased. */
  headers: ReadonlyMap<string, string>;
  /** Content-ID without angle brackets, if the part has one. */
  contentId: string | undefined;
  contentType: string | undefined;
  /** 0-based position of the part in the body. */
  index: number;
}

/** How an error message names a part: its Content-ID, else its position. */
export function describePart(part: PartHeaders): string {
  return part.contentId !== undefined ? `<${part.contentId}>` : `#${part.index} (no Content-ID)`;
}

type State = 'preamble' | 'headers' | 'body' | 'done';

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
/** Longest run of transport padding accepted after a boundary. */
const MAX_PADDING = 256;

/** RFC 2046 boundary: 1-70 characters from a restricted set, not ending in a space. */
function isValidBoundary(boundary: string): boolean {
  return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary);
}

const IDENTITY_ENCODINGS = new Set(['binary', '8bit', '7bit']);

/** MTOM parts carry raw bytes (XOP 1.0, 4.1); base64 or quoted-printable parts are refused, not decoded. */
export function assertIdentityEncoding(part: PartHeaders, what: string): void {
  const cte = part.headers.get('content-transfer-encoding')?.toLowerCase();
  if (cte !== undefined && !IDENTITY_ENCODINGS.has(cte)) {
    throw new MtomError('UNSUPPORTED_ENCODING', `${what} uses Content-Transfer-Encoding ${cte.slice(0, 40)}; MTOM parts must be binary`);
  }
}

type Delimiter = { kind: 'none' } | { kind: 'more' } | { kind: 'delimiter' | 'close'; dataEnd: number; next: number };

export class MultipartReader {
  private readonly iterator: AsyncIterator<Buffer | Uint8Array | string>;
  /** "\n--boundary": CRLF (or LF) + "--" + boundary is a delimiter; the CR is checked separately. */
  private readonly needle: Buffer;
  /** Unconsumed bytes. Starts with a virtual CRLF so a delimiter at the very start matches like any other. */
  private buf: Buffer = Buffer.from('\r\n');
  private eof = false;
  private state: State = 'preamble';
  private bodyBytes = 0;
  private parts = 0;
  private partBytes = 0;
  private partLimit: number;
  private partEnded = false;
  /** The current part ended with the closing delimiter. */
  private closed = false;
  private headerScanFrom = 0;
  private stopped = false;

  constructor(private readonly source: BodySource, boundary: string, private readonly limits: MultipartLimits) {
    if (!isValidBoundary(boundary)) throw new MtomError('BAD_CONTENT_TYPE', 'multipart boundary is missing or not a valid RFC 2046 boundary');
    this.iterator = bodyIterator(source);
    this.needle = Buffer.from(`\n--${boundary}`, 'latin1');
    this.partLimit = limits.maxPartBytes;
  }

  /** Sets the size limit of the current part (e.g. the root part's); counts what was already read. */
  limitCurrentPart(maxBytes: number): void {
    this.partLimit = maxBytes;
    if (this.partBytes > maxBytes) throw this.tooLarge();
  }

  /**
   * Advances to the next part, discarding the unread rest of the current one, and returns its
   * headers; null after the closing delimiter. Throws MtomError for truncation and syntax errors.
   */
  async nextPart(): Promise<PartHeaders | null> {
    this.assertOpen();
    while (this.state === 'body') await this.read();
    if (this.state === 'preamble') await this.skipPreamble();
    if (this.state === 'done') return null;
    if (++this.parts > this.limits.maxParts) throw new MtomError('TOO_MANY_PARTS', `more than ${this.limits.maxParts} MIME parts`);
    const headers = parseHeaderBlock(await this.headerBlock());
    this.state = 'body';
    this.partBytes = 0;
    this.partLimit = this.limits.maxPartBytes;
    this.partEnded = false;
    const id = headers.get('content-id');
    return { headers, contentId: id === undefined ? undefined : normalizeContentId(id), contentType: headers.get('content-type'), index: this.parts - 1 };
  }

  /** Next chunk of the current part's body, or null at its end (and whenever no part is current). */
  async read(): Promise<Buffer | null> {
    this.assertOpen();
    for (;;) {
      if (this.state !== 'body') return null;
      if (this.partEnded) {
        this.state = this.closed ? 'done' : 'headers';
        return null;
      }
      const found = this.findDelimiter();
      if (found.kind === 'delimiter' || found.kind === 'close') {
        const data = this.buf.subarray(0, found.dataEnd);
        this.buf = this.buf.subarray(found.next);
        this.partEnded = true;
        this.closed = found.kind === 'close';
        if (data.length > 0) return this.count(data);
        continue;
      }
      // No delimiter yet: everything before a possible start of one at the very end is data.
      const safe = found.kind === 'none' ? this.keepFrom() : 0;
      if (safe > 0) {
        const data = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        return this.count(data);
      }
      if (!(await this.pull())) throw new MtomError('TRUNCATED', 'multipart body ended inside a part (no closing boundary)');
    }
  }

  /** Stops parsing; the rest of the body is drained, not destroyed (see body-source.ts). Idempotent. */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.state = 'done';
    this.buf = Buffer.alloc(0);
    abandonBody(this.source, this.iterator);
  }

  private assertOpen(): void {
    if (this.stopped) throw new MtomError('DISPOSED', 'the multipart reader was closed');
  }

  private tooLarge(): MtomError {
    return new MtomError('PART_TOO_LARGE', `MIME part ${this.parts - 1} is larger than ${this.partLimit} bytes`);
  }

  private count(data: Buffer): Buffer {
    this.partBytes += data.length;
    if (this.partBytes > this.partLimit) throw this.tooLarge();
    return data;
  }

  /** Appends the next source chunk; false at the end of the source. */
  private async pull(): Promise<boolean> {
    if (this.eof) return false;
    const r = await this.iterator.next();
    // close() during the wait: the parse is over, and what arrived must not pass for a complete part.
    this.assertOpen();
    if (r.done) {
      this.eof = true;
      return false;
    }
    const chunk = toBuffer(r.value);
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.limits.maxBodyBytes) throw new MtomError('BODY_TOO_LARGE', `multipart body larger than ${this.limits.maxBodyBytes} bytes`);
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }

  /**
   * Looks for a delimiter line in the buffer. 'more' = a candidate whose end is not buffered yet;
   * 'none' = no candidate (a false match such as "--boundaryX" is skipped over).
   */
  private findDelimiter(): Delimiter {
    const buf = this.buf;
    let from = 0;
    for (;;) {
      const at = buf.indexOf(this.needle, from);
      if (at === -1) return { kind: 'none' };
      const dataEnd = at > 0 && buf[at - 1] === CR ? at - 1 : at;
      let k = at + this.needle.length;
      if (k + 2 > buf.length) return this.eof ? this.truncatedAtBoundary() : { kind: 'more' };
      if (buf[k] === DASH && buf[k + 1] === DASH) return { kind: 'close', dataEnd, next: k + 2 };
      const padStart = k;
      while (k < buf.length && (buf[k] === 0x20 || buf[k] === 0x09) && k - padStart <= MAX_PADDING) k++;
      if (k - padStart > MAX_PADDING) throw new MtomError('MALFORMED_MULTIPART', 'too much transport padding after a boundary');
      if (k >= buf.length || (buf[k] === CR && k + 1 >= buf.length)) return this.eof ? this.truncatedAtBoundary() : { kind: 'more' };
      if (buf[k] === LF) return { kind: 'delimiter', dataEnd, next: k + 1 };
      if (buf[k] === CR && buf[k + 1] === LF) return { kind: 'delimiter', dataEnd, next: k + 2 };
      from = at + 1; // "--boundaryX...": data, keep looking
    }
  }

  /**
   * Where the bytes that might begin a delimiter start, when the buffer holds no whole one: the
   * last LF whose following bytes are a prefix of the needle (with a CR before it), else a final
   * CR. Usually nothing is kept, so the next chunk becomes the buffer as is instead of being
   * copied behind a tail: a 200 MB part then costs no 200 MB of short-lived copies.
   */
  private keepFrom(): number {
    const buf = this.buf;
    const n = this.needle;
    for (let k = buf.indexOf(LF, Math.max(0, buf.length - n.length + 1)); k !== -1; k = buf.indexOf(LF, k + 1)) {
      if (buf.compare(n, 0, buf.length - k, k) === 0) return k > 0 && buf[k - 1] === CR ? k - 1 : k;
    }
    return buf.length > 0 && buf[buf.length - 1] === CR ? buf.length - 1 : buf.length;
  }

  private truncatedAtBoundary(): never {
    throw new MtomError('TRUNCATED', 'multipart body ended in a boundary line');
  }

  private async skipPreamble(): Promise<void> {
    for (;;) {
      const found = this.findDelimiter();
      if (found.kind === 'delimiter' || found.kind === 'close') {
        this.buf = this.buf.subarray(found.next);
        this.state = found.kind === 'close' ? 'done' : 'headers';
        return;
      }
      if (found.kind === 'none') this.buf = this.buf.subarray(this.keepFrom());
      if (!(await this.pull())) throw new MtomError('TRUNCATED', 'no multipart boundary found in the body');
    }
  }

  /** The header block of the part that starts at the buffer: up to the first empty line, which is consumed. */
  private async headerBlock(): Promise<string> {
    this.headerScanFrom = 0;
    for (;;) {
      const end = this.findEmptyLine();
      if (end) {
        const block = this.buf.subarray(0, end.blockEnd).toString('utf8');
        this.buf = this.buf.subarray(end.next);
        return block;
      }
      if (this.buf.length > this.limits.maxHeaderBytes) throw new MtomError('HEADERS_TOO_LARGE', `MIME part header block larger than ${this.limits.maxHeaderBytes} bytes`);
      if (!(await this.pull())) throw new MtomError('TRUNCATED', 'multipart body ended inside part headers');
    }
  }

  /** Finds the line break that ends the header block: one at the very start (no headers) or LF [CR] LF. */
  private findEmptyLine(): { blockEnd: number; next: number } | undefined {
    const buf = this.buf;
    if (buf[0] === LF) return { blockEnd: 0, next: 1 };
    if (buf[0] === CR && buf[1] === LF) return { blockEnd: 0, next: 2 };
    for (let k = buf.indexOf(LF, this.headerScanFrom); k !== -1; k = buf.indexOf(LF, k + 1)) {
      if (buf[k + 1] === LF) return { blockEnd: k + 1, next: k + 2 };
      if (buf[k + 1] === CR && buf[k + 2] === LF) return { blockEnd: k + 1, next: k + 3 };
      if (k + 2 >= buf.length) {
        this.headerScanFrom = k; // cannot decide yet: rescan from this LF when more bytes arrive
        return undefined;
      }
    }
    this.headerScanFrom = Math.max(0, buf.length - 1);
    return undefined;
  }
}
