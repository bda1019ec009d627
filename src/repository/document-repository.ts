/**
 * XDS Document Repository storage service: streams document bytes into the blob store,
 * computes the XDS `hash` (hex SHA-1) and `size` on the way, and checks them against the
 * submitted metadata (ITI-41 / ITI-65: a repository must reject a document whose hash or size
 * differs from its metadata with XDSRepositoryMetadataError). The uniqueId -> blobKey mapping
 * lives in the registry's SQL schema, not here.
 */
import type { Readable } from 'node:stream';
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError } from '../domain/registry-error';
import { storageErrorOf } from '../storage-error';
import { BlobError, type BlobRange, type BlobReferenceCheck, type BlobSource, type BlobStore, type BlobSweepResult, type SealedBytes } from '../store/blobs/blob-store';

export interface ExpectedDocument {
  /** Hex SHA-1 from the metadata (any case). */
  hash?: string;
  /** Size in bytes from the metadata. */
  size?: number;
}

export interface StoredDocument {
  blobKey: string;
  keyId: string;
  /** Lowercase hex SHA-1 of the bytes as received. */
  hash: string;
  size: number;
  /** A small document's encrypted bytes, kept in its repository index row instead of a blob file. */
  sealed?: Buffer;
}

export interface DocumentRepositoryOptions {
  /**
   * Documents up to this many bytes are kept (encrypted) in the repository's index row, so they
   * commit with their registration: no file to create and fsync, nothing to orphan. 0: none.
   */
  inlineUpTo?: number;
  /**
   * Inline bytes one submission may hold (default 8 MiB). Inline documents wait in memory for
   * their commit: past this, a submission's further documents stream to files, so ten thousand
   * small parts of one MTOM body cannot pile up in memory.
   */
  inlineBytesPerSubmission?: number;
}

const DEFAULT_INLINE_BYTES_PER_SUBMISSION = 8 * 1024 * 1024;

export interface StoreDocumentOptions {
  /** Aborts the upload (e.g. the client disconnected); nothing is left behind. */
  signal?: AbortSignal;
  /** Location reported in a RegistryError (the document's uniqueId or entryUUID). */
  location?: string;
  /** false: a file even for a small document (the submission's inline budget is spent). */
  inline?: boolean;
}

const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

export class DocumentRepository {
  /** See DocumentRepositoryOptions.inlineBytesPerSubmission. */
  readonly inlineBytesPerSubmission: number;

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: DocumentRepositoryOptions = {},
  ) {
    this.inlineBytesPerSubmission = options.inlineBytesPerSubmission ?? DEFAULT_INLINE_BYTES_PER_SUBMISSION;
  }

  /**
   * Stores one document. With `expected`, a mismatch deletes the blob and throws
   * RegistryError(XDSRepositoryMetadataError); a declared size also caps the upload, so a body
   * larger than its metadata says is cut off instead of being stored in full first.
   * A full or failing disk propagates as a StorageError (see storage-failure.ts for its XDS
   * code); other failures (client abort) propagate as they are.
   * Like BlobStore.put(), this never destroys `source` (except on abort): after a rejection the
   * caller still owns it, so an HTTP layer can answer with the error instead of resetting the socket.
   */
  async storeDocument(source: BlobSource, expected: ExpectedDocument = {}, opts: StoreDocumentOptions = {}): Promise<StoredDocument> {
    const { location } = opts;
    const metadataError = (context: string): RegistryError => RegistryError.of(XdsErrorCode.XDSRepositoryMetadataError, context, location);
    if (expected.hash !== undefined && !SHA1_HEX.test(expected.hash)) {
      throw metadataError(`hash "${expected.hash.slice(0, 64)}" is not a hex SHA-1 (40 hex digits)`);
    }
    if (expected.size !== undefined && !(Number.isSafeInteger(expected.size) && expected.size >= 0)) {
      throw metadataError(`size "${String(expected.size)}" is not a non-negative integer`);
    }

    let stored;
    try {
      stored = await this.blobs.put(source, {
        ...(expected.size !== undefined ? { maxSize: expected.size } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(this.options.inlineUpTo && opts.inline !== false ? { inlineUpTo: this.options.inlineUpTo } : {}),
      });
    } catch (err) {
      if (err instanceof BlobError && err.code === 'TOO_LARGE' && expected.size !== undefined) {
        throw metadataError(`document is larger than the size in its metadata (${expected.size} bytes)`);
      }
      throw err;
    }

    const problems: string[] = [];
    if (expected.size !== undefined && stored.size !== expected.size) {
      problems.push(`size in metadata is ${expected.size}, document has ${stored.size} bytes`);
    }
    if (expected.hash !== undefined && expected.hash.toLowerCase() !== stored.sha1) {
      problems.push(`hash in metadata is ${expected.hash.toLowerCase()}, document SHA-1 is ${stored.sha1}`);
    }
    if (problems.length > 0) {
      // Best effort: if this delete fails, the blob is unreferenced and the orphan sweep removes it.
      if (!stored.sealed) await this.blobs.delete(stored.key).catch(() => undefined);
      throw metadataError(problems.join('; '));
    }
    return { blobKey: stored.key, keyId: stored.keyId, hash: stored.sha1, size: stored.size, ...(stored.sealed ? { sealed: stored.sealed } : {}) };
  }

  /**
   * Plaintext of a stored document, streamed; a missing, undecryptable or tampered blob
   * surfaces as a BlobError 'error' event before any byte of the affected segment is emitted.
   * `range` (inclusive ends, like HTTP Range) serves partial retrieves without decrypting the rest.
   * `sealed`: the bytes of an inline document (StoredDocument.sealed), or their loader, read
   * instead of a file.
   */
  openDocument(blobKey: string, range?: BlobRange, sealed?: SealedBytes): Readable {
    return sealed ? this.blobs.openSealed(blobKey, sealed, range) : this.blobs.get(blobKey, range);
  }

  /** The whole plaintext of a small stored document (see BlobStore.readWhole); `sealed` as for openDocument. */
  readDocument(blobKey: string, sealed?: SealedBytes): Promise<Buffer> {
    return this.blobs.readWhole(blobKey, sealed);
  }

  /**
   * Reads a blob file's header (open, read, close) so a failing disk or a missing or cut file
   * shows before an answer is committed; rejects with a StorageError or a BlobError.
   */
  async checkDocumentFile(blobKey: string): Promise<void> {
    try {
      await this.blobs.stat(blobKey);
    } catch (err) {
      throw storageErrorOf(err, 'read', `document ${blobKey}`);
    }
  }

  /** Removes the bytes (ITI-86 / ITI-62 with document deletion); false when already gone. */
  async removeDocument(blobKey: string): Promise<boolean> {
    return this.blobs.delete(blobKey);
  }

  close(): Promise<void> {
    return this.blobs.close();
  }

  /** Crash clean-up; `isReferenced` is the registry's lookup of which blob keys still have rows. */
  async sweepOrphans(isReferenced: BlobReferenceCheck, olderThanMs: number): Promise<BlobSweepResult> {
    return this.blobs.sweepOrphans(isReferenced, olderThanMs);
  }
}
