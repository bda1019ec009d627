/**
 * Reading and removing documents as a caller (ITI-43, ITI-68, ITI-86): who may see which
 * document, and the audit record, decided here once for every front end. A patient-context
 * caller is answered for another patient's document exactly as for an unknown one. The record
 * is written before the answer (before any byte of a retrieved document leaves), one per patient
 * of the documents, as IHE asks of audit messages.
 */
import type { AuditDocument } from '../audit/audit-input';
import { outcomeOfXdsStatus } from '../audit/audit-input';
import type { AuditScope } from '../audit/audit-scope';
import { requireOwnCommunity } from '../domain/community';
import { reachesPatient, type Principal } from '../domain/principal';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { XdsErrorCode } from '../domain/error-codes';
import { StoredQueryId, type StoredQuery } from '../domain/stored-queries';
import { itemsStatus } from '../domain/submission';
import type { Registry } from '../registry/registry';
import { StorageError } from '../storage-error';
import { BlobError } from '../store/blobs/blob-store';
import { unknownDocument, withContent, type DocumentReference, type RepositoryService, type RetrievedDocument } from './repository-service';
import { storageFailureDetail } from './storage-failure';

export interface DocumentAccessDeps {
  registry: Registry;
  repository: RepositoryService;
}

export interface DocumentRequest extends DocumentReference {
  /** The community the caller named (kept in the record). */
  homeCommunityId?: string;
}

export interface Retrieved<R extends DocumentRequest> {
  request: R;
  document: RetrievedDocument;
}

/** The patient of each document `principal` may see (a patient-context caller: only its own patient's). */
async function patientsOf(registry: Registry, uniqueIds: readonly string[], principal: Principal): Promise<Map<string, string>> {
  if (uniqueIds.length === 0) return new Map();
  const query: StoredQuery = { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: [...new Set(uniqueIds)] } };
  const result = await registry.query(query, principal);
  return new Map(result.objects.flatMap((o) => (o.kind === 'DocumentEntry' ? [[o.uniqueId, o.patientId] as const] : [])));
}

function rejected(err: unknown): RegistryErrorDetail[] {
  if (err instanceof RegistryError) return err.errors;
  throw err;
}

/** Nothing done is a refusal (its outcome as the front end answers it); anything done is recorded per patient. */
async function recordPerPatient(audit: AuditScope, documents: ReadonlyArray<AuditDocument & { patientId?: string }>, succeeded: number, errors: readonly RegistryErrorDetail[]): Promise<void> {
  const status = itemsStatus(succeeded, errors);
  if (status === 'Failure') await audit.refused(errors);
  else await audit.perPatient(documents, outcomeOfXdsStatus(status), errors);
}

/** How many blob headers are read at once: a thousand-document request never holds a thousand file descriptors. */
const CHECKS_AT_ONCE = 16;

/** The error of a document whose bytes cannot be read: storage (StorageError) or blob (missing, cut) failures only. */
function unreadable(err: unknown, documentUniqueId: string): RegistryErrorDetail {
  if (err instanceof StorageError) return { ...storageFailureDetail(err), location: documentUniqueId };
  if (err instanceof BlobError) return { code: XdsErrorCode.XDSRepositoryError, severity: 'Error', context: `document ${documentUniqueId} could not be read (${err.code})`, location: documentUniqueId };
  throw err;
}

/**
 * Documents up to this size are read whole ahead of their answer: while ITI-68's audit record
 * commits, or instead of ITI-43's readability check (reading one proves it readable and
 * authentic for the price of the check, and its part then needs no second pass). Larger ones
 * are not: a plaintext held across the commit or a long reply outlives the young generation,
 * and issue 15's A/B runs of 1 MB reads measured the garbage collector's share doubling.
 */
export const READ_AHEAD_MAX_BYTES = 64 * 1024;
/** How many bytes of documents one ITI-43 request reads ahead; past this the rest are checked and streamed. */
const READ_AHEAD_BUDGET = 1024 * 1024;

/** The document, read whole (small ones, within the budget) or checked readable. */
async function checked(document: RetrievedDocument, readWhole: boolean): Promise<RetrievedDocument> {
  if (!readWhole) {
    await document.checkReadable();
    return document;
  }
  return withContent(document, await document.read());
}

/** The documents whose bytes can be opened; one error each for the others. */
async function readableOnly<R extends DocumentRequest>(candidates: Retrieved<R>[], errors: RegistryErrorDetail[]): Promise<Retrieved<R>[]> {
  const readable: Retrieved<R>[] = [];
  let budget = READ_AHEAD_BUDGET;
  const readsWhole = (d: RetrievedDocument) => d.size <= READ_AHEAD_MAX_BYTES && (budget -= d.size) >= 0;
  for (let i = 0; i < candidates.length; i += CHECKS_AT_ONCE) {
    const batch = candidates.slice(i, i + CHECKS_AT_ONCE);
    const results = await Promise.allSettled(batch.map((c) => checked(c.document, readsWhole(c.document))));
    results.forEach((result, j) => {
      if (result.status === 'fulfilled') readable.push({ ...batch[j]!, document: result.value });
      else errors.push(unreadable(result.reason, batch[j]!.document.documentUniqueId));
    });
  }
  return readable;
}

/** Starts reading the documents `preload` picks; reading overlaps the audit record's commit. */
function startPreloads<R extends DocumentRequest>(found: Retrieved<R>[], preload: (d: RetrievedDocument) => boolean): Array<Promise<Buffer> | undefined> {
  return found.map((f) => {
    if (f.document.size > READ_AHEAD_MAX_BYTES || !preload(f.document)) return undefined;
    const reading = f.document.read();
    // Awaited below, unless the audit record fails first: then its failure is the answer.
    reading.catch(() => undefined);
    return reading;
  });
}

export interface RetrieveOptions {
  /**
   * Check that each document's bytes can be opened before answering, and answer those that
   * cannot with XDSRepositoryError (ITI-43: its reply streams every document after the status
   * line, too late to report a failing disk). Small documents are read whole instead (see
   * READ_AHEAD_MAX_BYTES), which also answers a tampered one here rather than cutting its
   * part off. ITI-68 opens its one document itself instead.
   */
  checkReadable?: boolean;
  /**
   * The request came from another community (XCA ITI-39): each document must name this
   * community; one naming another, or none, is refused on its own (XDSUnknownCommunity,
   * XDSMissingHomeCommunityId) while the others are served.
   */
  crossCommunity?: boolean;
  /**
   * Read the documents this picks (small ones only, see READ_AHEAD_MAX_BYTES) whole while the
   * audit record commits, and hand them back with their content (ITI-68: the bytes are ready
   * the moment the record is durable). A read that fails rejects the retrieve, as opening the
   * document afterwards would have.
   */
  preload?: (document: RetrievedDocument) => boolean;
}

/** ITI-43 / ITI-39 / ITI-68: the documents found and visible to `principal`, and one error per other request. */
export async function retrieveDocuments<R extends DocumentRequest>(deps: DocumentAccessDeps, requests: readonly R[], principal: Principal, audit?: AuditScope, options: RetrieveOptions = {}): Promise<{ found: Retrieved<R>[]; errors: RegistryErrorDetail[] }> {
  const candidates: Retrieved<R>[] = [];
  const errors: RegistryErrorDetail[] = [];
  // One lookup per document brings its registry patient along; a single document's inline bytes too.
  const lookupContent = requests.length === 1;
  for (const request of requests) {
    try {
      if (options.crossCommunity) requireOwnCommunity(request.homeCommunityId, deps.registry.options.homeCommunityId, true, request.documentUniqueId);
      candidates.push({ request, document: await deps.repository.retrieve(request, { withContent: lookupContent }) });
    } catch (err) {
      errors.push(...rejected(err));
    }
  }
  const visible = candidates.filter((c) => {
    if (reachesPatient(principal, c.document.patientId)) return true;
    errors.push(...unknownDocument(c.document.documentUniqueId).errors);
    return false;
  });
  const found = options.checkReadable ? await readableOnly(visible, errors) : visible;
  const preloads = options.preload ? startPreloads(found, options.preload) : [];
  if (audit) {
    await recordPerPatient(audit, found.map((f) => ({
      uniqueId: f.document.documentUniqueId,
      repositoryUniqueId: f.document.repositoryUniqueId,
      ...(f.request.homeCommunityId !== undefined ? { homeCommunityId: f.request.homeCommunityId } : {}),
      ...(f.document.patientId !== undefined ? { patientId: f.document.patientId } : {}),
    })), found.length, errors);
  }
  if (preloads.length === 0) return { found, errors };
  const loaded = await Promise.all(preloads);
  return { found: found.map((f, i) => {
    const content = loaded[i];
    return content ? { ...f, document: withContent(f.document, content) } : f;
  }), errors };
}

/**
 * ITI-86: removes each document's bytes; each in its own transaction, so the record (the removed
 * documents, the per-item errors as its outcome) is written once all are done. The patients come
 * from the registry's metadata, which ITI-86 leaves in place. A caller bound to one patient removes
 * only documents the registry lists for that patient: others (another patient's, or ones whose
 * metadata is gone, so whose patient nobody can tell) are answered like documents this repository
 * does not hold.
 */
export async function removeDocuments(deps: DocumentAccessDeps, refs: readonly DocumentReference[], principal: Principal, audit?: AuditScope): Promise<{ removed: DocumentReference[]; errors: RegistryErrorDetail[] }> {
  const patients = await patientsOf(deps.registry, refs.map((r) => r.documentUniqueId), principal);
  const mayRemove = (r: DocumentReference) => principal.patientId === undefined || patients.has(r.documentUniqueId);
  const refused = refs.filter((r) => !mayRemove(r)).flatMap((r) => unknownDocument(r.documentUniqueId).errors);
  const { removed, errors: failed } = await deps.repository.remove(refs.filter(mayRemove));
  const errors = [...refused, ...failed];
  if (audit) {
    await recordPerPatient(audit, removed.map((r) => ({
      uniqueId: r.documentUniqueId,
      repositoryUniqueId: r.repositoryUniqueId,
      ...(patients.has(r.documentUniqueId) ? { patientId: patients.get(r.documentUniqueId)! } : {}),
    })), removed.length, errors);
  }
  return { removed, errors };
}
