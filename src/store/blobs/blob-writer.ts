/**
 * One blob being written: seals the source's bytes segment by segment under fresh per-blob
 * secrets, keeps the running SHA-1 and size (and the caller's size limit), and hands each
 * sealed segment to the blob's file, or keeps a small blob sealed in memory (inlineUpTo).
 */
import crypto from 'node:crypto';
import { BlobError, type BlobPutResult } from './blob-store';
import { BlobFileSink, type BlobTarget } from './blob-file-sink';
import { newBlobSecrets } from './blob-secrets';
import { MAX_SEGMENTS, SIZE_OFFSET, SegmentCipher, encodeHeader } from './format';
import { SegmentBatcher } from './segment-batcher';

export interface BlobWriterLimits {
  /** Larger sources fail with BlobError TOO_LARGE. */
  maxSize?: number;
  /** A blob of at most this many bytes is returned sealed instead of written (-1: never). */
  inlineUpTo: number;
}

export class BlobWriter {
  private readonly sha1 = crypto.createHash('sha1');
  private readonly hashPiece = (p: Buffer): void => {
    this.sha1.update(p);
  };
  private readonly batcher: SegmentBatcher;
  private readonly file: BlobFileSink;
  private size = 0;
  private index = 0;
  /** The header already carries the final size and went out with segment 0 (a one-segment blob). */
  private headerWritten = false;

  private constructor(
    private readonly key: string,
    private readonly keyId: string,
    private readonly header: Buffer,
    private readonly cipher: SegmentCipher,
    segmentSize: number,
    private readonly limits: BlobWriterLimits,
    target: BlobTarget,
  ) {
    this.batcher = new SegmentBatcher(segmentSize);
    this.file = new BlobFileSink(target, header.length);
  }

  static async begin(
    key: string,
    keyId: string,
    masterKey: Buffer,
    segmentSize: number,
    limits: BlobWriterLimits,
    target: BlobTarget,
  ): Promise<BlobWriter> {
    const { salt, noncePrefix, key: aesKey } = await newBlobSecrets(masterKey);
    const header = encodeHeader({ keyId, segmentSize, salt, noncePrefix, plaintextSize: 0 });
    const cipher = new SegmentCipher(aesKey, noncePrefix, header, key);
    return new BlobWriter(key, keyId, header, cipher, segmentSize, limits, target);
  }

  /** Takes the next chunk of the source; seals and writes every segment it completes. */
  async add(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    const { maxSize } = this.limits;
    if (maxSize !== undefined && this.size > maxSize) {
      throw new BlobError('TOO_LARGE', `blob exceeds the allowed ${maxSize} bytes`, this.key);
    }
    this.batcher.add(chunk);
    while (this.batcher.hasSegmentBeforeMore) await this.emit(this.batcher.takeSegment(), false);
  }

  /** The source has ended: seals the last segment and makes the blob durable (or returns it sealed). */
  async finish(): Promise<BlobPutResult> {
    const { key, keyId, header } = this;
    // A one-segment blob (most documents) knows its size now: header and segment go out in
    // one write instead of two.
    if (this.index === 0) {
      header.writeBigUInt64BE(BigInt(this.size), SIZE_OFFSET);
      this.headerWritten = true;
    }
    const sealed = await this.emit(this.batcher.takeRest(), true);
    if (sealed) return { key, keyId, size: this.size, sha1: this.sha1.digest('hex'), sealed };
    if (!this.headerWritten) header.writeBigUInt64BE(BigInt(this.size), SIZE_OFFSET);
    await this.file.commit(this.headerWritten ? undefined : header);
    return { key, keyId, size: this.size, sha1: this.sha1.digest('hex') };
  }

  /** After a failure: see BlobFileSink.discard(). */
  discard(): Promise<void> {
    return this.file.discard();
  }

  /** Seals one segment and starts its write; returns the sealed blob instead when it stays inline. */
  private async emit(pieces: Buffer[], final: boolean): Promise<Buffer | undefined> {
    const { key, index } = this;
    if (index > MAX_SEGMENTS - 1) throw new BlobError('TOO_LARGE', `blob ${key}: more than ${MAX_SEGMENTS} segments`, key);
    const out = this.cipher.seal(index, pieces, final, this.size, this.hashPiece);
    const onlySegment = final && index === 0;
    if (onlySegment && this.size <= this.limits.inlineUpTo) {
      // Small enough to live in the caller's table row: no file, no fsync (see inlineUpTo).
      this.index += 1;
      return Buffer.concat([this.header, ...out]);
    }
    await this.file.writeSegment(out, onlySegment, index === 0 && this.headerWritten ? this.header : undefined);
    this.index += 1;
    return undefined;
  }
}
