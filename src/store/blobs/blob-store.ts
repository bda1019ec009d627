/**
 * The blob-store port the Document Repository is written against (same convention as
 * store/sql/database.ts). The filesystem adapter (fs-blob-store.ts) is the only
 * implementation today; an object-store adapter would implement the same interface.
 */
import type { Readable } from 'node:stream';

/** What put() accepts: a byte stream (HTTP body, MTOM part, file stream) or any async iterable of bytes. */
export type BlobSource = Readable | AsyncIterable<Uint8Array | string>;

export interface BlobPutOptions {
  /** Aborts the upload: a Readable source is destroyed, the temp file removed, put() rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Reject (and remove the temp file) as soon as more than this many plaintext bytes arrive. */
  maxSize?: number;
  /**
   * A blob of at most this many plaintext bytes (and one segment) is not written to storage:
   * put() returns it sealed, in the same format, for the caller to keep (in a table row).
   */
  inlineUpTo?: number;
}

export interface BlobPutResult {
  /** Opaque storage key (32 lowercase hex chars); the registry stores it next to the document's uniqueId. */
  key: string;
  /** Id of the encryption key the blob was written with (the active key at the time). */
  keyId: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Lowercase hex SHA-1 of the plaintext (the XDS `hash` slot). */
  sha1: string;
  /** Set when the blob came within `inlineUpTo`: its encrypted bytes, which are stored nowhere else. */
  sealed?: Buffer;
}

/** A sealed blob's bytes, or a loader of them (a caller that keeps them in a table row). */
export type SealedBytes = Buffer | (() => Promise<Buffer>);

export interface BlobStat {
  key: string;
  keyId: string;
  /** Plaintext size (from the header; authenticated when the blob is read to the end). */
  size: number;
  /** Bytes on disk (header + ciphertext + tags). */
  storedSize: number;
  mtime: Date;
}

/** Byte range of the plaintext, like fs.createReadStream: `start` and `end` are both inclusive. */
export interface BlobRange {
  start?: number;
  end?: number;
}

export interface BlobSweepResult {
  /** Committed blobs older than the threshold that were offered to isReferenced(). */
  scanned: number;
  removedTemp: number;
  removedBlobs: number;
}

/** Given candidate keys, returns the subset that is still referenced (e.g. by a registry row). */
export type BlobReferenceCheck = (keys: string[]) => Promise<Set<string>>;

export interface BlobStore {
  /**
   * Streams, hashes and encrypts `source` into a new blob. It is not destroyed when put()
   * fails for its own reasons (size limit, disk error): the caller still owns it, e.g. to
   * answer an HTTP request with an error rather than resetting its socket. On abort it is.
   */
  put(source: BlobSource, opts?: BlobPutOptions): Promise<BlobPutResult>;
  /** Plaintext stream. Errors (missing blob, unknown key id, tampering, truncation) arrive as a stream 'error'. */
  get(key: string, range?: BlobRange): Readable;
  /**
   * Plaintext stream of a blob that put() returned sealed (the key is part of what is
   * authenticated). `sealed` may be a loader, called when the stream first reads.
   */
  openSealed(key: string, sealed: SealedBytes, range?: BlobRange): Readable;
  /**
   * The whole plaintext of a blob (from its file, or from `sealed` when given), authenticated,
   * without a stream: for small blobs, which a caller can then answer with one buffer. Rejects
   * with what the stream would fail with.
   */
  readWhole(key: string, sealed?: SealedBytes): Promise<Buffer>;
  stat(key: string): Promise<BlobStat>;
  /** Resolves true when a blob was removed, false when none existed. */
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  /** Removes temp files and unreferenced blobs whose mtime is older than `olderThanMs` ago. */
  sweepOrphans(isReferenced: BlobReferenceCheck, olderThanMs: number): Promise<BlobSweepResult>;
  /** Releases what the store holds open; nothing is called on it afterwards. */
  close(): Promise<void>;
}

export type BlobErrorCode =
  /** No blob under that key. */
  | 'NOT_FOUND'
  /** The key is not a well-formed blob key (never touches the filesystem). */
  | 'INVALID_KEY'
  /** The blob names an encryption key id that is not configured. */
  | 'UNKNOWN_KEY_ID'
  /** Not a blob file of a known format/version (bad magic, version, header fields). */
  | 'BAD_FORMAT'
  /** Authentication failed: wrong key, tampered, truncated, extended or reordered content. */
  | 'INTEGRITY'
  /** More bytes than BlobPutOptions.maxSize, or beyond what the format can address. */
  | 'TOO_LARGE';

export class BlobError extends Error {
  readonly code: BlobErrorCode;
  readonly key: string | undefined;

  constructor(code: BlobErrorCode, message: string, key?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlobError';
    this.code = code;
    this.key = key;
  }
}
