/**
 * The parts of an inbound MTOM message after its root: streams keyed by Content-ID over ONE
 * forward-only MultipartReader.
 *
 * Design (the consumer decides from the envelope which part it needs, and may not ask in order):
 * - A part asked for when the reader reaches it is streamed live: bytes flow from the socket to
 *   the consumer (e.g. the blob store) as they arrive, with backpressure, and are never held.
 *   This is the usual case: ITI-41 handlers store documents in the order of their parts.
 * - To reach a part further on, the reader must get past the parts in between. Those nobody has
 *   asked for yet are spooled to an encrypted temp file (spool.ts) and read back from there when
 *   asked for; a part being streamed live whose consumer has not finished is handed over the same
 *   way: the rest of it goes to a spool file and its stream continues from that file. So any
 *   access order works, nothing deadlocks, and memory stays bounded by one chunk per stream.
 * - With spooling off (`spoolDir: false`), skipped parts are discarded and reading them later,
 *   or asking for a later part while one is being streamed, fails with OUT_OF_ORDER.
 * - complete() reads the body to its closing delimiter, so a transaction can have the whole
 *   packaging checked (truncation, duplicate Content-IDs, parts nobody references) before it
 *   commits what it took from the parts it streamed.
 * Reader operations are serialised on one promise chain; a failure of the reader itself
 * (truncation, size limit) is sticky and fails every stream that still needs it.
 */
import { Readable } from 'node:stream';
import { MtomError } from './mtom-error';
import { assertIdentityEncoding, type MultipartReader, type PartHeaders } from './multipart-reader';
import { SpoolFile } from './spool';

interface Part {
  headers: PartHeaders;
  /** The stream that reads this part live, once someone asked for it. */
  owner: Claim | undefined;
  /** Read to its end (by its owner, into a spool file, or discarded). */
  finished: boolean;
  spool: SpoolFile | undefined;
  discarded: boolean;
}

interface Claim {
  contentId: string;
  /** Set when the part's bytes (or the rest of them) are in a spool file. */
  spool: SpoolFile | undefined;
  /** The consumer destroyed the stream before its end: the rest of the part may be discarded. */
  abandoned: boolean;
}

export class Attachments {
  private readonly parts = new Map<string, Part>();
  private readonly claims = new Map<string, Claim>();
  private current: Part | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private failure: unknown;
  private disposed = false;
  private atEnd = false;
  /** Every part passed so far, in body order (at most maxParts). */
  private readonly order: Part[] = [];
  private root: Part | undefined;
  /** Content-IDs the envelope's xop:Include elements name; unknown until the root is read. */
  private references: ReadonlySet<string> | undefined;
  private completion: Promise<PartHeaders[]> | undefined;
  /** complete() is reading the rest: nobody can ask for an unreferenced part any more. */
  private completing = false;

  constructor(private readonly reader: MultipartReader, private readonly spoolDir: string | false) {}

  /**
   * Reads parts up to the root (the one whose Content-ID is `startId`, else the first) and returns
   * its headers and bytes; parts before it are set aside like any skipped part.
   */
  readRoot(startId: string | undefined, maxBytes: number): Promise<{ part: PartHeaders; bytes: Buffer }> {
    return this.run(async () => {
      for (;;) {
        const part = await this.advance();
        if (!part) throw new MtomError('MISSING_ROOT', startId === undefined ? 'multipart body has no parts' : `no MIME part has Content-ID <${startId}> (the start parameter)`);
        if (startId !== undefined && part.headers.contentId !== startId) continue;
        this.reader.limitCurrentPart(maxBytes);
        this.root = part;
        const chunks: Buffer[] = [];
        for (let c = await this.reader.read(); c !== null; c = await this.reader.read()) chunks.push(c);
        part.finished = true;
        return { part: part.headers, bytes: Buffer.concat(chunks) };
      }
    });
  }

  /** Names the Content-IDs the envelope's xop:Include elements reference (see complete()). */
  referTo(contentIds: ReadonlySet<string>): void {
    this.references = contentIds;
  }

  /**
   * Reads the rest of the body to its closing delimiter. Fails (MtomError) on truncation or a
   * duplicate Content-ID anywhere in it. Parts the envelope references that nobody opened yet
   * are spooled and can still be opened; the parts still ahead that it does not reference are
   * read through and dropped. Resolves with the parts (the root aside) that neither an
   * xop:Include references nor anyone opened, in body order: whether they are an error is the
   * transaction's call. Idempotent.
   */
  complete(): Promise<PartHeaders[]> {
    this.completion ??= this.run(async () => {
      this.completing = true;
      while (await this.advance());
      return this.order.filter((p) => p !== this.root && !this.referenced(p) && !this.claims.has(p.headers.contentId ?? '')).map((p) => p.headers);
    });
    return this.completion;
  }

  /**
   * The bytes of the part with this Content-ID (no angle brackets, already URL-decoded). Each
   * part can be opened once. Problems (unknown Content-ID, truncated body, size limit) arrive as
   * the stream's 'error', an MtomError.
   */
  open(contentId: string): Readable {
    if (this.disposed) return failedStream(new MtomError('DISPOSED', 'the SOAP message was disposed of'));
    if (this.claims.has(contentId)) return failedStream(new MtomError('ALREADY_CONSUMED', `attachment <${contentId}> was already opened`));
    const claim: Claim = { contentId, spool: undefined, abandoned: false };
    this.claims.set(contentId, claim);
    return Readable.from(this.chunks(claim), { objectMode: false });
  }

  /**
   * Ends all use of the message: stops the reader (see MultipartReader.close), fails streams
   * still reading with DISPOSED, removes spool files. Safe to call more than once.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failure ??= new MtomError('DISPOSED', 'the SOAP message was disposed of');
    this.reader.close();
    // Claims too: a stream dropped without being destroyed never runs its own cleanup.
    await Promise.all([...this.parts.values(), ...this.claims.values()].map((p) => p.spool?.remove()));
  }

  private async *chunks(claim: Claim): AsyncGenerator<Buffer> {
    let finished = false;
    try {
      const part = await this.run(() => this.locate(claim));
      if (part) {
        for (;;) {
          // Inside the queue: a hand-off (another stream needed the reader) may have moved our rest to a spool file.
          const chunk = await this.run(async () => (claim.spool ? undefined : this.reader.read()));
          if (chunk === undefined) break;
          if (chunk === null) {
            part.finished = true;
            finished = true;
            return;
          }
          yield chunk;
        }
      }
      const spool = claim.spool!;
      for await (const c of spool.createReadStream()) {
        if (this.disposed) throw this.failure;
        yield c as Buffer;
      }
      finished = true;
    } finally {
      if (!finished) claim.abandoned = true;
      await claim.spool?.remove();
    }
  }

  /** Serialises reader work; a reader failure fails everything queued after it. */
  private run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.chain.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        return await op();
      } catch (err) {
        if (isReaderFailure(err)) this.failure ??= err;
        throw err;
      }
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Finds the part for `claim`: the part to stream live from the reader, or undefined when claim.spool holds its bytes. */
  private async locate(claim: Claim): Promise<Part | undefined> {
    for (;;) {
      const known = this.parts.get(claim.contentId);
      if (known) {
        assertIdentityEncoding(known.headers, `attachment <${claim.contentId}>`);
        if (known.spool) {
          claim.spool = known.spool;
          known.spool = undefined; // the claim now owns (and will remove) the file
          return undefined;
        }
        if (known === this.current && !known.finished && !known.owner) {
          known.owner = claim;
          return known;
        }
        if (known.discarded) throw new MtomError('OUT_OF_ORDER', `attachment <${claim.contentId}> was skipped and spooling is off: read attachments in the order of their parts`);
        throw new MtomError('ALREADY_CONSUMED', `attachment <${claim.contentId}> was already read`);
      }
      if (!(await this.advance())) throw new MtomError('UNKNOWN_CID', `no MIME part has Content-ID <${claim.contentId}>`);
    }
  }

  /** Sets the current part aside and moves to the next one; undefined at the end of the body. */
  private async advance(): Promise<Part | undefined> {
    if (this.current && !this.current.finished) await this.setAside(this.current);
    if (this.atEnd) return undefined;
    const headers = await this.reader.nextPart();
    if (!headers) {
      this.atEnd = true;
      this.current = undefined;
      return undefined;
    }
    const part: Part = { headers, owner: undefined, finished: false, spool: undefined, discarded: false };
    this.order.push(part);
    if (headers.contentId !== undefined) {
      if (this.parts.has(headers.contentId)) throw new MtomError('DUPLICATE_CID', `two MIME parts have Content-ID <${headers.contentId}>`);
      this.parts.set(headers.contentId, part);
    }
    this.current = part;
    return part;
  }

  /** Whether an xop:Include names `part` (before the root is read, any part with a Content-ID may be named). */
  private referenced(part: Part): boolean {
    const id = part.headers.contentId;
    return id !== undefined && (this.references === undefined || this.references.has(id));
  }

  /** Whether someone may still open `part` by its Content-ID, once the reader has gone past it. */
  private mayBeOpened(part: Part): boolean {
    return this.completing ? this.referenced(part) : part.headers.contentId !== undefined;
  }

  /** Gets the reader past the rest of `part`: into a spool file if someone may still want it, else discarded. */
  private async setAside(part: Part): Promise<void> {
    const owner = part.owner;
    const wanted = owner ? !owner.abandoned : this.mayBeOpened(part);
    if (wanted && this.spoolDir === false) {
      if (owner) throw new MtomError('OUT_OF_ORDER', `attachment <${owner.contentId}> is still being read and spooling is off: read attachments in the order of their parts`);
      part.discarded = true;
    }
    if (!wanted || this.spoolDir === false) {
      while ((await this.reader.read()) !== null);
      part.finished = true;
      return;
    }
    const file = await SpoolFile.create(this.spoolDir);
    try {
      for (let c = await this.reader.read(); c !== null; c = await this.reader.read()) await file.write(c);
      await file.finish();
    } catch (err) {
      await file.remove();
      throw err;
    }
    part.finished = true;
    if (owner) owner.spool = file;
    else part.spool = file;
  }
}

/** Errors after which the reader's position is unknown: every later read must fail too. */
function isReaderFailure(err: unknown): boolean {
  if (!(err instanceof MtomError)) return true; // I/O errors, client abort
  return !['UNKNOWN_CID', 'OUT_OF_ORDER', 'ALREADY_CONSUMED', 'UNSUPPORTED_ENCODING'].includes(err.code);
}

/**
 * A stream that fails with `err` once it is read, like the streams of open() do. Not before: an
 * 'error' emitted on a stream nobody reads or listens to would be an uncaught exception.
 */
export function failedStream(err: Error): Readable {
  return new Readable({
    read() {
      this.destroy(err);
    },
  });
}
