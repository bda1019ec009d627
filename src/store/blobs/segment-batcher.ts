/**
 * Gathers a blob's incoming chunks into segment-sized lists of pieces for the SegmentCipher.
 * Large chunks are kept by reference, uncopied, so memory stays at about one segment whatever
 * the document size. Small chunks (a multipart parser or a slow client can deliver a few bytes
 * at a time) are copied together first: per-piece cipher/hash calls and the pending list would
 * otherwise cost per chunk, not per byte.
 */
import { takeBytes } from '../../file-writes';

/** Chunks smaller than this are coalesced into STAGING_BYTES buffers before encryption. */
const COALESCE_BELOW = 16 * 1024;
const STAGING_BYTES = 64 * 1024;

export class SegmentBatcher {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private staging: Buffer | undefined;
  private stagingLength = 0;

  constructor(private readonly segmentSize: number) {}

  add(chunk: Buffer): void {
    if (chunk.length >= COALESCE_BELOW) {
      this.flushStaging();
      this.pending.push(chunk);
    } else {
      if (!this.staging || this.stagingLength + chunk.length > STAGING_BYTES) {
        this.flushStaging();
        this.staging = Buffer.allocUnsafe(STAGING_BYTES);
      }
      chunk.copy(this.staging, this.stagingLength);
      this.stagingLength += chunk.length;
    }
    this.pendingBytes += chunk.length;
  }

  /**
   * Strictly more than a segment is held: a segment is only sealed as non-final once we know
   * more data follows.
   */
  get hasSegmentBeforeMore(): boolean {
    return this.pendingBytes > this.segmentSize;
  }

  /** The next full segment's pieces; only while hasSegmentBeforeMore. */
  takeSegment(): Buffer[] {
    this.flushStaging();
    this.pendingBytes -= this.segmentSize;
    return takeBytes(this.pending, this.segmentSize);
  }

  /** Everything held: the last segment once the source has ended. */
  takeRest(): Buffer[] {
    this.flushStaging();
    this.pendingBytes = 0;
    return this.pending.splice(0);
  }

  private flushStaging(): void {
    if (this.staging && this.stagingLength > 0) this.pending.push(this.staging.subarray(0, this.stagingLength));
    this.staging = undefined;
    this.stagingLength = 0;
  }
}
