/**
 * Provide and Register (ITI-41 / ITI-65): store each document's bytes, then register the
 * metadata and the repository index in ONE transaction. Blobs are written (and fsynced)
 * before the commit, so a committed entry never points at a missing blob; a failed
 * submission deletes the blobs it wrote, and the orphan sweep catches a crash in between.
 * A small document's bytes travel in its index row instead (DocumentRepository inlineUpTo),
 * so they commit, or vanish, with the registration itself.
 */
import type { AuditScope } from '../audit/audit-scope';
import { submissionFacts } from '../audit/submission-facts';
import { XdsErrorCode } from '../domain/error-codes';
import { EventLoopTurns } from '../event-loop-turns';
import { DocumentEntryType, type DocumentEntry } from '../domain/metadata';
import type { Principal } from '../domain/principal';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { failedSubmission, type Submission, type SubmitResult } from '../domain/submission';
import type { Registry } from '../registry/registry';
import type { BlobSource } from '../store/blobs/blob-store';
import { repositoryTableRows, type RepositoryRow } from '../store/sql/repository-rows';
import { storeRows } from '../store/sql/store-handles';
import type { StoredDocument } from './document-repository';
import type { RepositoryService } from './repository-service';

export interface DocumentContent {
  /** The id the submission gives the DocumentEntry (symbolic or UUID). */
  entryUuid: string;
  source: BlobSource;
}

export interface ProvideDeps {
  registry: Registry;
  repository: RepositoryService;
}

/** Every stable document needs bytes and every part of bytes needs a document (ITI-41 pairing rules). */
function pairContents(documents: DocumentEntry[], contents: DocumentContent[]): RegistryErrorDetail[] {
  const problems: RegistryErrorDetail[] = [];
  const withContent = new Set(contents.map((c) => c.entryUuid));
  const ids = new Set(documents.map((d) => d.entryUuid));
  for (const d of documents) {
    if (d.objectType !== DocumentEntryType.OnDemand && !withContent.has(d.entryUuid)) {
      problems.push({ code: XdsErrorCode.XDSMissingDocument, severity: 'Error', context: `no document bytes for DocumentEntry ${d.uniqueId}`, location: d.entryUuid });
    }
  }
  for (const c of contents) {
    if (!ids.has(c.entryUuid)) {
      problems.push({ code: XdsErrorCode.XDSMissingDocumentMetadata, severity: 'Error', context: `document bytes ${c.entryUuid} have no DocumentEntry`, location: c.entryUuid });
    }
  }
  return problems;
}

export interface ProvideOptions {
  /** The request's audit: its record commits with the submission, or records the refusal. */
  audit?: AuditScope;
  /**
   * The front end's last look at its request once every document is stored and before anything
   * is registered (ITI-41: the MTOM body read to its end). Problems it returns fail the
   * submission, an error it throws propagates; either way the stored bytes are discarded.
   */
  completeRequest?: () => Promise<RegistryErrorDetail[]>;
}

/**
 * The submission as the registry's precheck sees it: a document that comes with its bytes has its
 * hash and size checked by the repository when they are stored, so that a malformed one (`123e2`)
 * is answered like a wrong one, XDSRepositoryMetadataError, not as a registry metadata error.
 */
function withoutRepositoryChecked(submission: Submission, contents: DocumentContent[]): Submission {
  const withBytes = new Set(contents.map((c) => c.entryUuid));
  const documents = submission.documents.map((d) => {
    if (!withBytes.has(d.entryUuid)) return d;
    const { hash: _hash, size: _size, ...rest } = d;
    return rest;
  });
  return { ...submission, documents };
}

export async function provideAndRegister(deps: ProvideDeps, submission: Submission, contents: DocumentContent[], principal: Principal, options: ProvideOptions = {}): Promise<SubmitResult> {
  options.audit?.note(submissionFacts(submission, deps.repository.repositoryUniqueId));
  const result = await storeAndRegister(deps, submission, contents, principal, options.audit, options.completeRequest);
  // Refused before the registry saw it (pairing, bytes); the registry records its own refusals.
  if (result.status === 'Failure') await options.audit?.refused(result.errors);
  return result;
}

async function storeAndRegister(
  deps: ProvideDeps,
  submission: Submission,
  contents: DocumentContent[],
  principal: Principal,
  audit: AuditScope | undefined,
  completeRequest: ProvideOptions['completeRequest'],
): Promise<SubmitResult> {
  const paired = pairContents(submission.documents, contents);
  const pre = deps.registry.precheck(withoutRepositoryChecked(submission, contents), { requireRepositoryFields: false });
  if (paired.length + pre.errors.length > 0) return failedSubmission([...paired, ...pre.errors]);

  const stored = new Map<string, StoredDocument>();
  // Best effort: a blob that can't be removed now is unreferenced, and the orphan sweep takes it.
  const removeBlobs = (keys: string[]) => Promise.all(keys.map((k) => deps.repository.documents.removeDocument(k).catch(() => false)));
  // Only files: an inline document's bytes exist nowhere but in the row that did not commit.
  const filesOf = (docs: Iterable<StoredDocument>) => [...docs].filter((s) => !s.sealed).map((s) => s.blobKey);
  const discard = () => removeBlobs(filesOf(stored.values()));
  try {
    const byId = new Map(submission.documents.map((d) => [d.entryUuid, d]));
    // One document at a time: each streams straight to disk, so memory stays flat; small ones
    // are held for the commit, up to the repository's inline budget per submission.
    const documents = deps.repository.documents;
    let inlined = 0;
    // Inline documents resolve without waiting on the disk: without turns, 500 of them held
    // the event loop for the whole loop.
    const turns = new EventLoopTurns();
    for (const c of contents) {
      await turns.yield();
      const d = byId.get(c.entryUuid)!;
      const expected = { ...(d.hash !== undefined ? { hash: d.hash } : {}), ...(d.size !== undefined ? { size: d.size } : {}) };
      const s = await documents.storeDocument(c.source, expected, { location: d.uniqueId, inline: inlined < documents.inlineBytesPerSubmission });
      inlined += s.sealed?.length ?? 0;
      stored.set(c.entryUuid, s);
    }
    const late = (await completeRequest?.()) ?? [];
    if (late.length > 0) {
      await discard();
      return failedSubmission(late);
    }
    // The index rows need registry entryUUIDs, not the ids of the request: pair by uniqueId.
    const givenIdOf = new Map(submission.documents.map((d) => [d.uniqueId, d.entryUuid]));
    const completed: Submission = {
      ...submission,
      documents: submission.documents.map((d) => {
        const s = stored.get(d.entryUuid);
        return s ? { ...d, hash: s.hash, size: s.size, repositoryUniqueId: deps.repository.repositoryUniqueId } : d;
      }),
    };
    let indexed: ReadonlySet<string> = new Set();
    // Files of re-registered documents: their row is written only if the repository does not
    // hold that uniqueId yet (the registry checked the bytes are the same: hash and size).
    let indexedIfAbsent: string[] = [];
    const result = await deps.registry.submit(completed, principal, {
      requireRepositoryFields: true,
      ...(audit ? { audit } : {}),
      extraRows: (registered, reregistered) => {
        const rows: RepositoryRow[] = [];
        const again: RepositoryRow[] = [];
        for (const d of registered.documents) {
          const s = stored.get(givenIdOf.get(d.uniqueId) ?? '');
          if (!s) continue;
          const row: RepositoryRow = { repositoryUniqueId: deps.repository.repositoryUniqueId, documentUniqueId: d.uniqueId, blobKey: s.blobKey, keyId: s.keyId, size: s.size, hash: s.hash, mimeType: d.mimeType };
          if (s.sealed) row.sealed = s.sealed;
          (reregistered.has(d.entryUuid) ? again : rows).push(row);
        }
        indexed = new Set(rows.map((r) => r.blobKey));
        indexedIfAbsent = again.filter((r) => !r.sealed).map((r) => r.blobKey);
        return storeRows([repositoryTableRows(rows), { ...repositoryTableRows(again), ifAbsent: true }]);
      },
    });
    if (result.status === 'Failure') {
      await discard();
      return result;
    }
    const held = indexedIfAbsent.length > 0 ? await deps.repository.indexedBlobKeys(indexedIfAbsent) : new Set<string>();
    // An identical retry, or a re-registered document whose bytes the repository already held.
    const unused = filesOf([...stored.values()].filter((s) => !indexed.has(s.blobKey) && !held.has(s.blobKey)));
    if (unused.length > 0) await removeBlobs(unused);
    return result;
  } catch (err) {
    await discard();
    if (err instanceof RegistryError) return failedSubmission(err.errors);
    throw err;
  }
}
