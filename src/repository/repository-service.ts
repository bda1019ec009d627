/**
 * The Document Repository actor over its index: retrieve by (repositoryUniqueId,
 * documentUniqueId) for ITI-43/ITI-68, and remove for ITI-86.
 */
import { Readable } from 'node:stream';
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import type { Database } from '../store/sql/database';
import { BlobError, type BlobRange } from '../store/blobs/blob-store';
import { DEFAULT_SEGMENT_SIZE } from '../store/blobs/format';
import { findDocumentForRead, type DocumentReadRow } from '../store/sql/document-read-row';
import { deleteRepositoryRow, readInlineContent, referencedBlobKeys, type RepositoryEntry } from '../store/sql/repository-rows';
import type { DocumentRepository } from './document-repository';

export interface RetrievedDocument extends RepositoryEntry {
  /** The patient of the document's registry entry (for the access rule and the audit record); absent: no entry. */
  patientId?: string;
  /** Opens the plaintext stream (lazily, so a caller can answer 304 without reading). */
  open(range?: BlobRange): Readable;
  /** Resolves when the stored bytes can be opened (a file's header is read; an inline document's row was just read). */
  checkReadable(): Promise<void>;
  /**
   * The whole plaintext, authenticated, in memory: for documents of at most WHOLE_READ_MAX_BYTES,
   * which then cost no stream on the way out. Rejects as open()'s stream would fail.
   */
  read(): Promise<Buffer>;
  /** The plaintext when it was read already (see withContent). */
  content?: Buffer;
}

/**
 * Up to this size a document is read whole rather than streamed: one segment of the blob
 * format (1 MiB), so a read holds no more than a streamed one does at a time.
 */
export const WHOLE_READ_MAX_BYTES = DEFAULT_SEGMENT_SIZE;

/** `doc` with its plaintext at hand: open() answers it without reading the store again. */
export function withContent(doc: RetrievedDocument, content: Buffer): RetrievedDocument {
  return {
    ...doc,
    content,
    open: (range) => (range ? doc.open(range) : Readable.from([content], { objectMode: false })),
    checkReadable: () => Promise.resolve(),
    read: () => Promise.resolve(content),
  };
}

export interface DocumentReference {
  repositoryUniqueId: string;
  documentUniqueId: string;
}

/**
 * The answer for a document this repository does not hold, or that the caller may not see:
 * both read the same, so a patient-context caller cannot tell another patient's document exists.
 */
export function unknownDocument(documentUniqueId: string): RegistryError {
  return RegistryError.of(XdsErrorCode.XDSDocumentUniqueIdError, `no document ${documentUniqueId} in this repository`, documentUniqueId);
}

/**
 * The port a retrieve reads the store through: one lookup of the repository's index row with
 * the registry's patient of the document (and, with `withContent`, an inline document's bytes).
 */
export type DocumentReadLookup = (repositoryUniqueId: string, documentUniqueId: string, withContent: boolean) => Promise<DocumentReadRow | undefined>;

export interface RetrieveOptions {
  /** Fetch an inline document's bytes with its row (a single-document read) instead of when its stream starts. */
  withContent?: boolean;
}

export class RepositoryService {
  constructor(
    private readonly db: Database,
    readonly documents: DocumentRepository,
    readonly repositoryUniqueId: string,
    private readonly lookup: DocumentReadLookup = (repositoryUniqueId, documentUniqueId, withContent) => findDocumentForRead(db, repositoryUniqueId, documentUniqueId, withContent),
  ) {}

  async retrieve(ref: DocumentReference, options: RetrieveOptions = {}): Promise<RetrievedDocument> {
    if (ref.repositoryUniqueId !== this.repositoryUniqueId) {
      throw RegistryError.of(XdsErrorCode.XDSUnknownRepositoryId, `repository ${ref.repositoryUniqueId} is not this repository`, ref.repositoryUniqueId);
    }
    const found = await this.lookup(ref.repositoryUniqueId, ref.documentUniqueId, options.withContent ?? false);
    if (!found) throw unknownDocument(ref.documentUniqueId);
    const { sealed, ...entry } = found;
    // Without withContent an inline document's bytes are read when its stream starts: an ITI-43
    // of a thousand documents holds their rows, not their bytes, while it answers.
    const inline = sealed ?? (() => this.inlineContent(entry.blobKey));
    const open = (range?: BlobRange) => this.documents.openDocument(entry.blobKey, range, entry.inline ? inline : undefined);
    return {
      ...entry,
      open,
      checkReadable: () => (entry.inline ? Promise.resolve() : this.documents.checkDocumentFile(entry.blobKey)),
      read: () => {
        if (entry.size > WHOLE_READ_MAX_BYTES) return Promise.reject(new RangeError(`document ${ref.documentUniqueId} is ${entry.size} bytes: stream it`));
        return this.documents.readDocument(entry.blobKey, entry.inline ? inline : undefined);
      },
    };
  }

  private async inlineContent(blobKey: string): Promise<Buffer> {
    const sealed = await readInlineContent(this.db, blobKey);
    if (!sealed) throw new BlobError('NOT_FOUND', `document ${blobKey} was removed`, blobKey);
    return sealed;
  }

  /**
   * ITI-86: removes each document's bytes. Items are independent: the result lists the
   * errors of those that could not be removed (PartialSuccess when some were).
   */
  async remove(refs: DocumentReference[]): Promise<{ removed: DocumentReference[]; errors: RegistryErrorDetail[] }> {
    const removed: DocumentReference[] = [];
    const errors: RegistryErrorDetail[] = [];
    for (const ref of refs) {
      if (ref.repositoryUniqueId !== this.repositoryUniqueId) {
        errors.push({ code: XdsErrorCode.XDSUnknownRepositoryId, severity: 'Error', context: `repository ${ref.repositoryUniqueId} is not this repository`, location: ref.documentUniqueId });
        continue;
      }
      const deleted = await this.db.transaction((tx) => deleteRepositoryRow(tx, ref.repositoryUniqueId, ref.documentUniqueId));
      if (!deleted) {
        errors.push(...unknownDocument(ref.documentUniqueId).errors);
        continue;
      }
      // The index row is gone first: if this delete fails, the orphan sweep removes the blob.
      // An inline document went with its row.
      if (deleted.inFile) await this.documents.removeDocument(deleted.blobKey).catch(() => false);
      removed.push(ref);
    }
    return { removed, errors };
  }

  close(): Promise<void> {
    return this.documents.close();
  }

  /** Which of these blobs an index row names. */
  indexedBlobKeys(keys: string[]): Promise<Set<string>> {
    return referencedBlobKeys(this.db, keys);
  }

  /** Removes blobs left by a crash between writing bytes and committing their registration. */
  sweepOrphans(olderThanMs: number) {
    return this.documents.sweepOrphans((keys) => this.indexedBlobKeys(keys), olderThanMs);
  }
}
