/**
 * Filesystem blob store: one encrypted file per document under DATA_DIR/blobs, sharded as
 * ab/cd/<key> so no directory grows past a few hundred entries at realistic volumes.
 *
 * Durability: a blob is streamed to a temp file in its final directory, fsynced, renamed into
 * place and the directory fsynced, so after put() resolves the blob survives a power loss and
 * a reader never sees a partial file. The registry commits its row only after put() resolves;
 * a crash in between leaves an unreferenced blob (or a temp file), which sweepOrphans() removes.
 *
 * A put() with `inlineUpTo` returns a small blob sealed instead (same format, same keys): the
 * caller keeps those bytes, in a table row, and openSealed() reads them back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  BlobError,
  type BlobPutOptions,
  type BlobPutResult,
  type BlobRange,
  type BlobReferenceCheck,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type BlobSweepResult,
  type SealedBytes,
} from './blob-store';
import { DEFAULT_SEGMENT_SIZE, MAX_SEGMENT_SIZE, MIN_SEGMENT_SIZE } from './format';
import { collectBytes, toBuffer } from '../../bytes';
import { storageErrorOf } from '../../storage-error';
import type { BlobTarget } from './blob-file-sink';
import { BlobReadStream } from './blob-read-stream';
import { readWholeBlob } from './blob-whole-read';
import { BlobWriter } from './blob-writer';
import { checkKey, isErrno, KEY_PATTERN, openBlobFile, readHeader } from './blob-files';
import { DirSyncer } from './dir-syncer';
import { fsyncDir } from '../../fsync-dir';
import { type BlobKeyring, validateKeyring } from './keys';

export interface FsBlobStoreOptions {
  /** Plaintext bytes per encrypted segment for new blobs (readers take it from each blob's header). */
  segmentSize?: number;
}

export interface ReencryptResult {
  key: string;
  /** Key id the blob is now encrypted with. */
  keyId: string;
  /** False when it already used the active key. */
  rewritten: boolean;
}

const SHARD_PATTERN = /^[0-9a-f]{2}$/;
/** Temp files live next to their final name (same directory, so rename() is atomic) with this prefix. */
export const TEMP_PREFIX = '.tmp-';
/** Keys handed to isReferenced() per call: keeps the registry's `= ANY($1)` lookups small. */
const SWEEP_BATCH = 500;

export class FsBlobStore implements BlobStore {
  private constructor(
    readonly root: string,
    private readonly keyring: BlobKeyring,
    private readonly segmentSize: number,
  ) {}

  static async open(root: string, keyring: BlobKeyring, opts: FsBlobStoreOptions = {}): Promise<FsBlobStore> {
    validateKeyring(keyring);
    const segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (!Number.isInteger(segmentSize) || segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new Error(`blob segment size must be an integer in ${MIN_SEGMENT_SIZE}..${MAX_SEGMENT_SIZE}`);
    }
    const abs = path.resolve(root);
    await fs.mkdir(abs, { recursive: true, mode: 0o700 });
    // All 256 shard directories exist (and are durable) from the start, so a put() never
    // pays for mkdir or a parent-directory fsync: one level of 256 keeps ~4,000 blobs per
    // directory at a million documents, well within what ext4/xfs index efficiently.
    const present = await Promise.all(SHARDS.map((s) => exists(path.join(abs, s))));
    const missing = SHARDS.filter((_, i) => !present[i]);
    if (missing.length > 0) {
      await Promise.all(missing.map((s) => fs.mkdir(path.join(abs, s), { recursive: true, mode: 0o700 })));
      await fsyncDir(abs);
    }
    return new FsBlobStore(abs, keyring, segmentSize);
  }

  private readonly dirSyncer = new DirSyncer();

  private syncDir(dir: string): Promise<void> {
    return this.dirSyncer.sync(dir);
  }

  /** Releases the directory handles; the store is not used afterwards. */
  close(): Promise<void> {
    return this.dirSyncer.close();
  }

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  private pathFor(key: string): string {
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(source: BlobSource, opts: BlobPutOptions = {}): Promise<BlobPutResult> {
    // The shard (first two hex digits) follows the clock: documents written in the same second
    // share a directory, so their directory fsyncs group (dir-syncer.ts); over time the
    // shards fill evenly. The rest of the key is random.
    const shard = (Math.floor(Date.now() / 1000) % 256).toString(16).padStart(2, '0');
    return this.write(shard + crypto.randomBytes(15).toString('hex'), source, opts, false);
  }

  /**
   * Streams `source` into the blob `key` (new, or replacing it atomically). Memory stays at
   * about two segments whatever the document size: the source's chunks are held by reference
   * until a segment is complete (segment-batcher.ts), and one segment write may be in flight
   * while the next is being encrypted (blob-file-sink.ts).
   */
  private async write(key: string, source: BlobSource, opts: BlobPutOptions, replace: boolean): Promise<BlobPutResult> {
    const { signal, maxSize, inlineUpTo = -1 } = opts;
    signal?.throwIfAborted();
    const keyId = this.keyring.activeKeyId;
    const writer = await BlobWriter.begin(key, keyId, this.keyring.keys.get(keyId)!, this.segmentSize, { maxSize, inlineUpTo }, this.targetFor(key, replace));
    // A Readable is destroyed with the abort reason, which makes the for-await below throw even
    // while it is waiting for a chunk that never comes (a stalled client).
    const onAbort = (): void => {
      if (source instanceof Readable) source.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // destroyOnReturn: false: see BlobStore.put() — our own failures leave the source to the caller.
      const chunks = source instanceof Readable ? source.iterator({ destroyOnReturn: false }) : source;
      for await (const raw of chunks) {
        if (signal?.aborted) throw signal.reason;
        await writer.add(toBuffer(raw as Uint8Array | string));
      }
      signal?.throwIfAborted();
      return await writer.finish();
    } catch (err) {
      await writer.discard();
      // A full or failing disk becomes a StorageError; the source's own failures stay as they are.
      throw storageErrorOf(err, 'write', `document ${key}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A new blob is written under its final name: its random key is unknown to anyone until
   * put() resolves, so nothing reads it half-written, and a crash leaves an unreferenced file
   * the orphan sweep removes. That saves a rename per document. Replacing an existing blob
   * (reencrypt) must be atomic, so it goes through a temp file and a rename.
   */
  private targetFor(key: string, replace: boolean): BlobTarget {
    const finalPath = this.pathFor(key);
    const writePath = replace
      ? path.join(path.dirname(finalPath), `${TEMP_PREFIX}${key}.${crypto.randomBytes(4).toString('hex')}`)
      : finalPath;
    return { finalPath, writePath, replace, syncDir: (dir) => this.syncDir(dir) };
  }

  get(key: string, range?: BlobRange): Readable {
    return new BlobReadStream({ pathFor: this.pathFor.bind(this) }, key, this.keyring, range);
  }

  openSealed(key: string, sealed: SealedBytes, range?: BlobRange): Readable {
    return new BlobReadStream({ sealed }, key, this.keyring, range);
  }

  async readWhole(key: string, sealed?: SealedBytes): Promise<Buffer> {
    const location = sealed ? { sealed } : { pathFor: this.pathFor.bind(this) };
    // A file larger than one read buffer (a blob of many small segments) goes through the stream.
    return (await readWholeBlob(location, key, this.keyring)) ?? collectBytes(new BlobReadStream(location, key, this.keyring, undefined));
  }

  async stat(key: string): Promise<BlobStat> {
    checkKey(key);
    const fh = await openBlobFile(this.pathFor(key), key);
    try {
      const { header, fileSize, mtime } = await readHeader(fh, key);
      return { key, keyId: header.keyId, size: header.plaintextSize, storedSize: fileSize, mtime };
    } finally {
      await fh.close();
    }
  }

  /**
   * No directory fsync here: if a power loss undoes a delete, the blob is merely an orphan again
   * and the sweep removes it; paying an fsync per delete buys nothing.
   */
  async delete(key: string): Promise<boolean> {
    checkKey(key);
    try {
      await fs.unlink(this.pathFor(key));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    checkKey(key);
    try {
      return (await fs.stat(this.pathFor(key))).isFile();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /**
   * Rewrites a blob under the active key (same storage key, atomic replace), so a retired key
   * can eventually be dropped from BLOB_KEYS. Streams like put(); the old content is fully
   * authenticated on the way through. Do not run it concurrently with delete() of the same
   * blob: it could bring the blob back (as an orphan the sweep later removes).
   */
  async reencrypt(key: string): Promise<ReencryptResult> {
    const st = await this.stat(key);
    if (st.keyId === this.keyring.activeKeyId) return { key, keyId: st.keyId, rewritten: false };
    const res = await this.write(key, this.get(key), {}, true);
    if (res.size !== st.size) throw new BlobError('INTEGRITY', `blob ${key}: re-encrypted ${res.size} bytes, header said ${st.size}`, key);
    return { key, keyId: res.keyId, rewritten: true };
  }

  /**
   * Removes temp files older than the threshold (a put() that crashed) and committed blobs
   * older than it that isReferenced() does not return (a crash between put() and the registry
   * commit, or a delete that did not happen). Only names this store writes are touched.
   *
   * The threshold must exceed the longest time between put() resolving and the registry
   * committing the row that references it, otherwise a blob of an in-flight submission could
   * be swept; an hour is generous. Files younger than the threshold are never looked at.
   */
  async sweepOrphans(isReferenced: BlobReferenceCheck, olderThanMs: number): Promise<BlobSweepResult> {
    if (!(olderThanMs >= 0)) throw new RangeError('olderThanMs must be >= 0');
    const cutoff = Date.now() - olderThanMs;
    const result: BlobSweepResult = { scanned: 0, removedTemp: 0, removedBlobs: 0 };
    let batch: string[] = [];

    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      result.scanned += keys.length;
      const referenced = await isReferenced(keys);
      for (const key of keys) {
        if (referenced.has(key)) continue;
        if (await this.delete(key)) result.removedBlobs += 1;
      }
    };

    for (const shard of await listDir(this.root)) {
      if (!SHARD_PATTERN.test(shard)) continue;
      const dir = path.join(this.root, shard);
      for (const name of await listDir(dir)) {
        const isTemp = name.startsWith(TEMP_PREFIX);
        if (!isTemp && !(KEY_PATTERN.test(name) && name.startsWith(shard))) continue;
        let st;
        try {
          st = await fs.lstat(path.join(dir, name));
        } catch (err) {
          if (isErrno(err, 'ENOENT')) continue; // finished or deleted meanwhile
          throw err;
        }
        if (!st.isFile() || st.mtimeMs >= cutoff) continue;
        if (isTemp) {
          await fs.unlink(path.join(dir, name)).then(() => { result.removedTemp += 1; }, (err: unknown) => { if (!isErrno(err, 'ENOENT')) throw err; });
        } else {
          batch.push(name);
          if (batch.length >= SWEEP_BATCH) await flush();
        }
      }
    }
    await flush();
    return result;
  }
}

const SHARDS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return [];
    throw err;
  }
}
