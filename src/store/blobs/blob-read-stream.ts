/**
 * Plaintext stream of one blob. A segment is pushed only after its GCM tag verified, so a
 * consumer never receives a byte that is not authentic and in its right place; any failure
 * destroys the stream with a BlobError instead.
 *
 * Opening (header, length and key checks, the first read) is blob-opening.ts's; the stream
 * then reads on from where that read ended, a read buffer at a time.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { storageErrorOf } from '../../storage-error';
import { BlobError, type BlobRange } from './blob-store';
import { readFully } from './blob-files';
import { closeBlob, openBlob, releaseBuffer, takeBuffer, type BlobLocation } from './blob-opening';
import { SegmentCipher, TAG_LENGTH, type BlobHeader } from './format';
import type { BlobKeyring } from './keys';

export type { BlobLocation } from './blob-opening';

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
    const blob = await openBlob(this.location, this.key, this.keyring);
    ({ fh: this.fh, buf: this.buf, bufEnd: this.bufEnd, fileSize: this.fileSize, header: this.header, cipher: this.cipher, segments: this.segments } = blob);
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
    const blob = { fh: this.fh, buf: this.buf };
    this.fh = undefined;
    this.buf = undefined;
    closeBlob(blob).then(
      () => callback(err),
      (closeErr: Error) => callback(err ?? closeErr),
    );
  }
}
