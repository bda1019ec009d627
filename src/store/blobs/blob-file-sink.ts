/**
 * The file one blob is written to: opened at its first segment, written with at most one
 * write in flight (so disk I/O overlaps the encryption of the next segment instead of
 * alternating with it), flushed in the background while large, then made durable in place
 * (commit) or removed (discard).
 */
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeAll } from '../../file-writes';

/** Where a blob is written and how its directory entry is made durable. */
export interface BlobTarget {
  finalPath: string;
  /** The name written to: finalPath for a new blob, a temp file next to it when `replace`. */
  writePath: string;
  /** Replacing an existing blob: written under writePath, then renamed over finalPath. */
  replace: boolean;
  /** Fsyncs a directory (grouped with concurrent writers, see dir-syncer.ts). */
  syncDir: (dir: string) => Promise<void>;
}

const noop = (): void => undefined;
/**
 * While a large blob is written, an fdatasync runs in the background every this many bytes, so
 * the disk flushes while we encrypt instead of all at the final fsync (measured on a 500 MB
 * write: final fsync 0.15-0.19 s -> 0.01 s, write 470-630 -> 600-790 MB/s), and dirty pages
 * do not pile up in the page cache.
 */
const BACKGROUND_SYNC_BYTES = 16 * 1024 * 1024;
const NEW_FILE_DSYNC = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_DSYNC;

export class BlobFileSink {
  private fh: FileHandle | undefined;
  /** Opened with O_DSYNC: its single write is durable on return. */
  private dsync = false;
  /** The directory fsync covering a new blob's entry, started as soon as the file exists. */
  private entrySynced: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private syncing: Promise<void> | undefined;
  private syncedUpTo = 0;
  /** Where the next segment goes; the header's room at the start is filled first or last. */
  private position: number;
  /** The blob is at its final name: a failure from here on must not delete it. */
  private placed = false;

  constructor(private readonly target: BlobTarget, headerLength: number) {
    this.position = headerLength;
  }

  /**
   * Writes one sealed segment after the previous one, or at the start together with `header`
   * (segment 0 of a blob whose size is already known). Resolves once the write is under way.
   * `oneSegment`: this is the blob's only segment, so it is opened with O_DSYNC (see open()).
   */
  async writeSegment(pieces: readonly Buffer[], oneSegment: boolean, header?: Buffer): Promise<void> {
    const file = await this.open(oneSegment);
    let length = 0;
    for (const b of pieces) length += b.length;
    if (this.inflight) await this.inflight;
    if (this.position - this.syncedUpTo >= BACKGROUND_SYNC_BYTES && !this.syncing) {
      // Errors are ignored here on purpose: the final fsync in commit() reports them.
      this.syncedUpTo = this.position;
      this.syncing = file.datasync().then(
        () => { this.syncing = undefined; },
        () => { this.syncing = undefined; },
      );
    }
    const w = header ? writeAll(file, [header, ...pieces], 0) : writeAll(file, pieces, this.position);
    w.catch(noop); // observed via `await inflight`; this only prevents an unhandled-rejection crash meanwhile
    this.inflight = w;
    this.position += length;
  }

  /**
   * Waits for the writes, writes `lateHeader` (the header, once the size of a multi-segment
   * blob is known) at the start, fsyncs, closes, renames into place when replacing and syncs
   * the directory: after this the blob survives a power loss.
   */
  async commit(lateHeader?: Buffer): Promise<void> {
    await this.inflight;
    this.inflight = undefined;
    if (this.syncing) await this.syncing;
    const file = await this.open(true);
    if (lateHeader) await writeAll(file, [lateHeader], 0);
    if (!this.dsync || lateHeader) await file.datasync();
    this.fh = undefined;
    await file.close();
    const { finalPath, writePath, replace, syncDir } = this.target;
    if (replace) await fs.rename(writePath, finalPath);
    this.placed = true;
    await (this.entrySynced ?? syncDir(path.dirname(finalPath)));
  }

  /** After a failure: lets pending I/O settle, closes, and removes the file unless already in place. */
  async discard(): Promise<void> {
    if (this.inflight) await this.inflight.catch(noop);
    if (this.syncing) await this.syncing;
    if (this.fh) await this.fh.close().catch(noop);
    // After the rename the blob is in place (an fsync failed); leave it to the orphan sweep
    // rather than deleting a file that, in reencrypt(), is the only copy.
    if (!this.placed) await fs.unlink(this.target.writePath).catch(noop);
  }

  /**
   * Opened at the first segment: a document that fits in one segment (most do) is opened with
   * O_DSYNC, so its single write is durable on return and needs no fdatasync after.
   */
  private async open(oneSegment: boolean): Promise<FileHandle> {
    if (!this.fh) {
      this.dsync = oneSegment;
      this.fh = await fs.open(this.target.writePath, oneSegment ? NEW_FILE_DSYNC : 'wx', 0o600);
      // A new blob's directory entry exists from here on: its directory fsync can run while
      // the data is written and synced, so a small document waits for the longer of the two
      // disk flushes, not for one after the other.
      if (!this.target.replace) {
        this.entrySynced = this.target.syncDir(path.dirname(this.target.finalPath));
        this.entrySynced.catch(noop); // awaited in commit(); a failed write must not leave it unhandled
      }
    }
    return this.fh;
  }
}
