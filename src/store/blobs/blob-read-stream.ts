/**
 * Plaintext stream of one blob. A segment is pushed only after its GCM tag verified, so a
 * consumer never receives a byte that is not authentic and in its right place; any failure
 * destroys the stream with a BlobError instead.
 *
 * Reading costs as few system calls as the format allows, since on a busy gateway they, not
 * the decryption, set the pace (ITI-43 / ITI-68 profiles): one read that takes the header and
 * as many whole segments as fit a read buffer, and the file's length (to refuse truncation
 * before decrypting) from that read when it reached the end, else from a stat — a document of
 * up to a segment is open, read, close.
 * Read buffers (a segment and a header each) are kept for the next stream rather than left to
 * the garbage collector. A sealed blob held in memory (an inline document) is read the same
 * way, with the buffer standing in for the file.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { storageErrorOf } from '../../storage-error';
import { BlobError, type BlobRange, type SealedBytes } from './blob-store';
import { checkFileLength, checkKey, openBlobFile, readFully } from './blob-files';
import {
  DEFAULT_SEGMENT_SIZE,
  FIXED_HEADER_LENGTH,
  MAX_KEY_ID_LENGTH,
  SegmentCipher,
  TAG_LENGTH,
  type BlobHeader,
  decodeHeader,
  expectedFileLength,
  segmentCount,
} from './format';
import { cachedBlobKey } from './derived-keys';
import type { BlobKeyring } from './keys';

const POOLED_BUFFER_LENGTH = FIXED_HEADER_LENGTH + MAX_KEY_ID_LENGTH + DEFAULT_SEGMENT_SIZE + TAG_LENGTH;
/** Enough for the concurrent downloads of a busy gateway; beyond that buffers are simply dropped. */
const MAX_POOLED_BUFFERS = 32;
const pooled: Buffer[] = [];

function takeBuffer(length: number): Buffer {
  if (length <= POOLED_BUFFER_LENGTH) return pooled.pop() ?? Buffer.allocUnsafe(POOLED_BUFFER_LENGTH);
  return Buffer.allocUnsafe(length);
}

function releaseBuffer(buf: Buffer): void {
  if (buf.length === POOLED_BUFFER_LENGTH && pooled.length < MAX_POOLED_BUFFERS) pooled.push(buf);
}

/** Where the blob's bytes are: its file (named once the key is checked), or the sealed bytes (or their loader). */
export type BlobLocation = { pathFor: (key: string) => string } | { sealed: SealedBytes };

export class BlobReadStream extends Readable {
  private fh: FileHandle | undefined;
  private header!: BlobHeader;
  private cipher!: SegmentCipher;
  private segments = 0;
  private next = 0;
  private last = -1;
  /** Plaintext byte range to emit, end exclusive. */
  private from = 0;
  private to = 0;
  private buf: Buffer | undefined;
  /** File offsets of the bytes `buf` holds. */
  private bufStart = 0;
  private bufEnd = 0;
  private fileSize = 0;

  constructor(
    private readonly location: BlobLocation,
    private readonly key: string,
    private readonly keyring: BlobKeyring,
    private readonly range: BlobRange | undefined,
  ) {
    super();
  }

  override _construct(callback: (err?: Error | null) => void): void {
    this.init().then(() => callback(), (err: Error) => callback(this.failure(err)));
  }

  private async init(): Promise<void> {
    checkKey(this.key);
    if ('sealed' in this.location) {
      // Never pooled: the buffer belongs to the caller. Every segment is already in it.
      const { sealed } = this.location;
      this.buf = typeof sealed === 'function' ? await sealed() : sealed;
      this.fileSize = this.bufEnd = this.buf.length;
    } else {
      this.fh = await openBlobFile(this.location.pathFor(this.key), this.key);
      this.buf = takeBuffer(POOLED_BUFFER_LENGTH);
      this.bufEnd = (await this.fh.read(this.buf, 0, this.buf.length, 0)).bytesRead;
      // A read of a regular file stops short of what was asked only at its end: then the
      // file's length is known without a stat (one thread-pool round trip less per read).
      this.fileSize = this.bufEnd < this.buf.length ? this.bufEnd : (await this.fh.stat()).size;
    }
    let header = decodeHeader(this.buf.subarray(0, this.bufEnd), this.key);
    if (this.fh && this.bufEnd < this.buf.length && this.fileSize !== expectedFileLength(header)) {
      // The short read was not the end after all (or the file is cut): the file's own length decides.
      this.fileSize = (await this.fh.stat()).size;
      this.bufEnd = await readFully(this.fh, this.buf, Math.min(this.fileSize, this.buf.length), 0);
      header = decodeHeader(this.buf.subarray(0, this.bufEnd), this.key);
    }
    checkFileLength(header, this.fileSize, this.key);
    const masterKey = this.keyring.keys.get(header.keyId);
    if (!masterKey) {
      throw new BlobError('UNKNOWN_KEY_ID', `blob ${this.key} is encrypted with key id "${header.keyId}", which is not configured (BLOB_KEYS)`, this.key);
    }
    this.header = header;
    // A copy: the read buffer is reused for later segments, the cipher keeps the header as AAD.
    const headerBytes = Buffer.from(this.buf.subarray(0, header.headerLength));
    this.cipher = new SegmentCipher(cachedBlobKey(masterKey, header.salt), header.noncePrefix, headerBytes, this.key);
    this.segments = segmentCount(header.plaintextSize, header.segmentSize);
    this.selectRange();
  }

  private selectRange(): void {
    const size = this.header.plaintextSize;
    const S = this.header.segmentSize;
    if (this.range === undefined) {
      // Whole blob: every segment, including the final one that authenticates the size.
      this.from = 0;
      this.to = size;
      this.next = 0;
      this.last = this.segments - 1;
      return;
    }
    const start = this.range.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0 || (this.range.end !== undefined && (!Number.isSafeInteger(this.range.end) || this.range.end < 0))) {
      throw new RangeError(`invalid blob range ${JSON.stringify(this.range)}`);
    }
    const endInclusive = Math.min(this.range.end ?? size - 1, size - 1);
    this.from = start;
    this.to = endInclusive + 1;
    if (this.from >= this.to) {
      this.next = 1;
      this.last = 0; // nothing to emit
      return;
    }
    this.next = Math.floor(this.from / S);
    this.last = Math.floor(endInclusive / S);
  }

  override _read(): void {
    this.readNext().then(
      (chunk) => {
        if (!this.destroyed) this.push(chunk);
      },
      (err: Error) => this.destroy(this.failure(err)),
    );
  }

  /** A failing disk (EIO, ...) as a StorageError, so a retrieve answers it as such rather than as a bug. */
  private failure(err: Error): Error {
    return storageErrorOf(err, 'read', `document ${this.key}`) as Error;
  }

  /** Segment bytes at [offset, offset + length) of the file: from what the last read brought, or read now. */
  private async segmentBytes(offset: number, length: number): Promise<Buffer> {
    if (offset >= this.bufStart && offset + length <= this.bufEnd) return this.buf!.subarray(offset - this.bufStart, offset - this.bufStart + length);
    // checkFileLength() already matched the header against the whole sealed buffer.
    if (!this.fh) throw new BlobError('INTEGRITY', `blob ${this.key}: segment at ${offset} is truncated`, this.key);
    if (this.buf!.length < length) {
      releaseBuffer(this.buf!);
      this.buf = takeBuffer(length);
    }
    // Read as much as the buffer holds: following segments may come with this one.
    const n = await readFully(this.fh!, this.buf!, Math.min(this.buf!.length, this.fileSize - offset), offset);
    this.bufStart = offset;
    this.bufEnd = offset + n;
    if (n < length) throw new BlobError('INTEGRITY', `blob ${this.key}: segment at ${offset} is truncated`, this.key);
    return this.buf!.subarray(0, length);
  }

  private async readNext(): Promise<Buffer | null> {
    const { plaintextSize: size, segmentSize: S, headerLength } = this.header;
    while (this.next <= this.last) {
      if (this.destroyed) return null; // destroyed meanwhile
      const i = this.next++;
      const final = i === this.segments - 1;
      const plainLength = final ? size - i * S : S;
      const bytes = await this.segmentBytes(headerLength + i * (S + TAG_LENGTH), plainLength + TAG_LENGTH);
      const plain = this.cipher.open(i, bytes.subarray(0, plainLength), bytes.subarray(plainLength), final, size, this.key);
      const segStart = i * S;
      const chunk = plain.subarray(Math.max(this.from - segStart, 0), Math.min(this.to - segStart, plain.length));
      // An empty push would not trigger another _read(); loop instead (only the empty blob's final segment).
      if (chunk.length > 0) return chunk;
    }
    return null;
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const fh = this.fh;
    const buf = this.buf;
    this.fh = undefined;
    this.buf = undefined;
    if (!fh) {
      // Without a file, `buf` is the caller's sealed buffer (or none): not ours to pool.
      callback(err);
      return;
    }
    // FileHandle.close() waits for a read still in flight on the handle: only then is the buffer free.
    fh.close().then(
      () => {
        if (buf) releaseBuffer(buf);
        callback(err);
      },
      (closeErr: Error) => callback(err ?? closeErr),
    );
  }
}
