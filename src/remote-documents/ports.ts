/**
 * What the remote-document cache needs from its stores, in its own terms: an index of cached
 * documents (the SQL adapter in store/sql/remote-documents) and encrypted bytes (the blob
 * store of store/blobs, which matches CacheBytes as it is). Both are wired in the composition
 * root (gateway.ts); the cache decides expiry, change detection, eviction and what commits when.
 */
import type { Readable } from 'node:stream';

/** A document of another community, as XCA names it (ITI-39 DocumentRequest). */
export interface RemoteDocumentKey {
  homeCommunityId: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
}

/** One cached document as the index keeps it. */
export interface CacheEntry extends RemoteDocumentKey {
  /** The encrypted bytes: a blob file, or `sealed` in the index row. */
  blobKey: string;
  keyId: string;
  size: number;
  /** Lowercase hex SHA-1 of the bytes (the XDS `hash`). */
  hash: string;
  mimeType: string;
  /** The remote's version of the document where it states one (an MHD DocumentReference's meta.versionId). */
  version?: string;
  /** The patient (CX) of the document's remote metadata: who may be served the cached copy. */
  patientId?: string;
  fetchedAt: Date;
  expiresAt: Date;
  /** A small document's encrypted bytes, kept in the row instead of a file. */
  sealed?: Buffer;
}

/** The bytes an entry named before it was replaced or removed (a file to delete, unless inline). */
export interface ReleasedBlob {
  blobKey: string;
  inFile: boolean;
}

export interface RemoteCacheIndex {
  /** The unexpired entry at `now`, marked as used then (for least-recently-used eviction); an inline entry's bytes with it. */
  use(key: RemoteDocumentKey, now: Date): Promise<CacheEntry | undefined>;
  /** The entries of these keys that are cached, expired or not, without marking them used (no bytes). */
  peek(keys: readonly RemoteDocumentKey[]): Promise<CacheEntry[]>;
  /** Stores the entry, replacing any for its key in the same transaction; says what the replaced one held. */
  put(entry: CacheEntry, now: Date): Promise<ReleasedBlob | undefined>;
  remove(key: RemoteDocumentKey): Promise<ReleasedBlob | undefined>;
  /**
   * Removes entries until the cached bytes add up to at most `maxBytes`: expired ones first,
   * then least recently used; never `keep` (the entry just stored, about to be served).
   */
  evictBeyond(maxBytes: number, now: Date, keep: RemoteDocumentKey): Promise<ReleasedBlob[]>;
  /** Which of these blob keys an entry names (for the orphan sweep). */
  referencedBlobKeys(keys: string[]): Promise<Set<string>>;
  totals(): Promise<{ entries: number; bytes: number }>;
}

/** Plaintext byte range, both ends inclusive (like HTTP Range). */
export interface ByteRange {
  start?: number;
  end?: number;
}

export interface SealedPut {
  key: string;
  keyId: string;
  size: number;
  /** Lowercase hex SHA-1 of the plaintext. */
  sha1: string;
  sealed?: Buffer;
}

/** Encrypted byte storage, streamed both ways (the blob store's contract). */
export interface CacheBytes {
  /** Streams `source` into an encrypted blob; nothing stays behind when it rejects. */
  put(source: Readable | AsyncIterable<Uint8Array | string>, opts?: { signal?: AbortSignal; maxSize?: number; inlineUpTo?: number }): Promise<SealedPut>;
  get(key: string, range?: ByteRange): Readable;
  openSealed(key: string, sealed: Buffer, range?: ByteRange): Readable;
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  sweepOrphans(isReferenced: (keys: string[]) => Promise<Set<string>>, olderThanMs: number): Promise<{ removedBlobs: number; removedTemp: number }>;
  close(): Promise<void>;
}
