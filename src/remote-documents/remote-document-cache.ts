/**
 * Remote-document cache: a document read from another community (ITI-39, or its MHD Binary) is
 * kept encrypted like a local one, so a second read within REMOTE_CACHE_TTL_SECONDS is served
 * without calling the remote again.
 *
 * A fetched document is stored in full (bytes, then its index row) before any byte is served:
 * a fetch that fails half way, or whose bytes disagree with the remote's metadata, leaves
 * nothing a later read could find. Misses for one document in this process share one fetch.
 * A copy disagreeing with what the caller now knows of the remote document (hash, size,
 * version, e.g. from a fresh search) is fetched again. The cached bytes are kept under
 * REMOTE_CACHE_MAX_BYTES by evicting expired, then least recently used, entries.
 */
import type { Readable } from 'node:stream';
import type { ByteRange, CacheBytes, CacheEntry, ReleasedBlob, RemoteCacheIndex, RemoteDocumentKey } from './ports';
import { SingleFlight } from './single-flight';

/** What is known of a remote document without its bytes (its registry metadata). */
export interface RemoteDocumentFacts {
  /** Hex SHA-1 (any case). */
  hash?: string;
  size?: number;
  version?: string;
}

/** A remote document being fetched: its bytes and what the remote says about it. */
export interface RemoteFetch extends RemoteDocumentFacts {
  body: Readable | AsyncIterable<Uint8Array | string>;
  mimeType: string;
  patientId?: string;
}

/** Starts fetching a document from its community; `signal` aborts it. */
export type RemoteFetcher = (signal: AbortSignal) => Promise<RemoteFetch>;

export interface CachedRemoteDocument extends RemoteDocumentKey {
  hash: string;
  size: number;
  mimeType: string;
  version?: string;
  patientId?: string;
  fetchedAt: Date;
  expiresAt: Date;
  /** Served from the cache (true) or fetched for this read (false). */
  hit: boolean;
  /** The plaintext, streamed from the encrypted copy. */
  open(range?: ByteRange): Readable;
}

export type RemoteDocumentErrorCode =
  /** The fetched bytes' hash or size differ from what the remote's metadata says. */
  | 'MISMATCH'
  /** Larger than its stated size, or than REMOTE_CACHE_MAX_DOCUMENT_BYTES. */
  | 'TOO_LARGE';

/** The remote community answered with a document this gateway will not serve. */
export class RemoteDocumentError extends Error {
  constructor(readonly code: RemoteDocumentErrorCode, message: string) {
    super(message);
    this.name = 'RemoteDocumentError';
  }
}

export interface RemoteDocumentCacheOptions {
  ttlMs: number;
  /** Cached bytes kept at most (plaintext sizes); beyond it entries are evicted. */
  maxBytes: number;
  /** Documents up to this size are kept in their index row rather than a file. */
  inlineUpTo: number;
  /** Largest document fetched at all (default: unlimited). */
  maxDocumentBytes?: number;
  now?: () => Date;
}

const keyString = (k: RemoteDocumentKey) => JSON.stringify([k.homeCommunityId, k.repositoryUniqueId, k.documentUniqueId]);

/** Whether a cached copy agrees with what is known of the remote document now (facts not known on either side agree). */
export function agreesWith(entry: Pick<CacheEntry, 'hash' | 'size' | 'version'>, facts: RemoteDocumentFacts = {}): boolean {
  if (facts.hash !== undefined && facts.hash.toLowerCase() !== entry.hash) return false;
  if (facts.size !== undefined && facts.size !== entry.size) return false;
  if (facts.version !== undefined && entry.version !== undefined && facts.version !== entry.version) return false;
  return true;
}

export class RemoteDocumentCache {
  private readonly fetches = new SingleFlight<CacheEntry>();
  private readonly readListeners = new Set<(hit: boolean) => void>();
  private readonly now: () => Date;

  constructor(
    private readonly index: RemoteCacheIndex,
    private readonly bytes: CacheBytes,
    readonly options: RemoteDocumentCacheOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The document from the cache, or fetched with `fetch` into it first. `known`: what the caller
   * knows of the remote document now; a cached copy that disagrees is fetched again.
   */
  async read(key: RemoteDocumentKey, fetch: RemoteFetcher, known?: RemoteDocumentFacts): Promise<CachedRemoteDocument> {
    const cached = await this.usable(key);
    if (cached && agreesWith(cached, known)) return this.served(cached, true);
    const fetched = await this.fetches.run(keyString(key), () => this.fetchAndStore(key, fetch));
    return this.served(fetched, false);
  }

  /** Told of each document served (lookup() or read()), from the cache or fetched (metrics). */
  onRead(listener: (hit: boolean) => void): void {
    this.readListeners.add(listener);
  }

  /** The cached copy, if any and unexpired, without fetching (marks it used). */
  async lookup(key: RemoteDocumentKey): Promise<CachedRemoteDocument | undefined> {
    const cached = await this.usable(key);
    return cached ? this.served(cached, true) : undefined;
  }

  /**
   * The unexpired entry whose bytes are there: an entry whose file is gone (a database restored
   * without DATA_DIR/remote-cache) is dropped, so the document is fetched again.
   */
  private async usable(key: RemoteDocumentKey): Promise<CacheEntry | undefined> {
    const cached = await this.index.use(key, this.now());
    if (!cached || cached.sealed || (await this.bytes.exists(cached.blobKey))) return cached;
    await this.index.remove(key);
    return undefined;
  }

  /**
   * Notes what a search just said about remote documents: cached copies that disagree are
   * dropped, so the next read fetches them again. Resolves with how many were dropped.
   */
  async observe(observations: ReadonlyArray<{ key: RemoteDocumentKey; facts: RemoteDocumentFacts }>): Promise<number> {
    const cached = await this.index.peek(observations.map((o) => o.key));
    const known = new Map(observations.map((o) => [keyString(o.key), o.facts]));
    const stale = cached.filter((entry) => !agreesWith(entry, known.get(keyString(entry))));
    await Promise.all(stale.map(async (entry) => this.release(await this.index.remove(entry))));
    return stale.length;
  }

  async invalidate(key: RemoteDocumentKey): Promise<boolean> {
    const removed = await this.index.remove(key);
    await this.release(removed);
    return removed !== undefined;
  }

  totals(): Promise<{ entries: number; bytes: number }> {
    return this.index.totals();
  }

  /** Removes blob files left by a crash between storing bytes and writing their index row. */
  sweepOrphans(olderThanMs: number) {
    return this.bytes.sweepOrphans((keys) => this.index.referencedBlobKeys(keys), olderThanMs);
  }

  close(): Promise<void> {
    return this.bytes.close();
  }

  private served(entry: CacheEntry, hit: boolean): CachedRemoteDocument {
    for (const listener of this.readListeners) listener(hit);
    const { blobKey, sealed, keyId: _keyId, ...facts } = entry;
    return {
      ...facts,
      hit,
      open: (range) => (sealed ? this.bytes.openSealed(blobKey, sealed, range) : this.bytes.get(blobKey, range)),
    };
  }

  private async fetchAndStore(key: RemoteDocumentKey, fetch: RemoteFetcher): Promise<CacheEntry> {
    const abort = new AbortController();
    const remote = await fetch(abort.signal);
    const limit = this.options.maxDocumentBytes;
    const maxSize = remote.size !== undefined ? Math.min(remote.size, limit ?? Infinity) : limit;
    let stored;
    try {
      stored = await this.bytes.put(remote.body, { ...(maxSize !== undefined ? { maxSize } : {}), inlineUpTo: this.options.inlineUpTo, signal: abort.signal });
    } catch (err) {
      // The blob store leaves its source to the caller: end the remote response too.
      abort.abort(err);
      if ('destroy' in remote.body && typeof remote.body.destroy === 'function') remote.body.destroy();
      if (isTooLarge(err)) throw new RemoteDocumentError('TOO_LARGE', `remote document ${key.documentUniqueId} is larger than ${maxSize} bytes`);
      throw err;
    }
    const dropStored = () => (stored.sealed ? Promise.resolve() : this.bytes.delete(stored.key).then(() => undefined, () => undefined));
    if (!agreesWith({ hash: stored.sha1, size: stored.size }, { ...(remote.hash !== undefined ? { hash: remote.hash } : {}), ...(remote.size !== undefined ? { size: remote.size } : {}) })) {
      await dropStored();
      throw new RemoteDocumentError('MISMATCH', `remote document ${key.documentUniqueId} has SHA-1 ${stored.sha1} and ${stored.size} bytes; its metadata says ${remote.hash ?? '?'} and ${remote.size ?? '?'}`);
    }
    const fetchedAt = this.now();
    const entry: CacheEntry = {
      ...key,
      blobKey: stored.key,
      keyId: stored.keyId,
      size: stored.size,
      hash: stored.sha1,
      mimeType: remote.mimeType,
      ...(remote.version !== undefined ? { version: remote.version } : {}),
      ...(remote.patientId !== undefined ? { patientId: remote.patientId } : {}),
      fetchedAt,
      expiresAt: new Date(fetchedAt.getTime() + this.options.ttlMs),
      ...(stored.sealed ? { sealed: stored.sealed } : {}),
    };
    let replaced;
    try {
      replaced = await this.index.put(entry, fetchedAt);
    } catch (err) {
      await dropStored();
      throw err;
    }
    await this.release(replaced);
    await this.release(...(await this.index.evictBeyond(this.options.maxBytes, fetchedAt, key)));
    return entry;
  }

  /** Deletes the files of entries that are gone; a failure leaves an orphan for the sweep, not an error for the reader. */
  private async release(...blobs: ReadonlyArray<ReleasedBlob | undefined>): Promise<void> {
    await Promise.all(blobs.map((b) => (b?.inFile ? this.bytes.delete(b.blobKey).catch(() => false) : undefined)));
  }
}

function isTooLarge(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'TOO_LARGE';
}
