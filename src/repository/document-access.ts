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
import { unknownDocument, type DocumentReference, type RepositoryService, type RetrievedDocument } from './repository-service';
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

/** The documents whose bytes can be opened; one error each for the others. */
async function readableOnly<R extends DocumentRequest>(candidates: Retrieved<R>[], errors: RegistryErrorDetail[]): Promise<Retrieved<R>[]> {
  const readable: Retrieved<R>[] = [];
  for (let i = 0; i < candidates.length; i += CHECKS_AT_ONCE) {
    const batch = candidates.slice(i, i + CHECKS_AT_ONCE);
    const checked = await Promise.allSettled(batch.map((c) => c.document.checkReadable()));
    checked.forEach((result, j) => {
      if (result.status === 'fulfilled') readable.push(batch[j]!);
      else errors.push(unreadable(result.reason, batch[j]!.document.documentUniqueId));
    });
  }
  return readable;
}

export interface RetrieveOptions {
  /**
   * Check that each document's bytes can be opened before answering, and answer those that
   * cannot with XDSRepositoryError (ITI-43: its reply streams every document after the status
   * line, too late to report a failing disk). ITI-68 opens its one document itself instead.
   */
  checkReadable?: boolean;
  /**
   * The request came from another community (XCA ITI-39): each document must name this
   * community; one naming another, or none, is refused on its own (XDSUnknownCommunity,
   * XDSMissingHomeCommunityId) while the others are served.
   */
  crossCommunity?: boolean;
}

/** ITI-43 / ITI-39 / ITI-68: the documents found and visible to `principal`, and one error per other request. */
export async function retrieveDocuments<R extends DocumentRequest>(deps: DocumentAccessDeps, requests: readonly R[], principal: Principal, audit?: AuditScope, options: RetrieveOptions = {}): Promise<{ found: Retrieved<R>[]; errors: RegistryErrorDetail[] }> {
  const candidates: Retrieved<R>[] = [];
  const errors: RegistryErrorDetail[] = [];
  // One lookup per document brings its registry patient along; a single document's inline bytes too.
  const withContent = requests.length === 1;
  for (const request of requests) {
    try {
      if (options.crossCommunity) requireOwnCommunity(request.homeCommunityId, deps.registry.options.homeCommunityId, true, request.documentUniqueId);
      candidates.push({ request, document: await deps.repository.retrieve(request, { withContent }) });
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
  if (audit) {
    await recordPerPatient(audit, found.map((f) => ({
      uniqueId: f.document.documentUniqueId,
      repositoryUniqueId: f.document.repositoryUniqueId,
      ...(f.request.homeCommunityId !== undefined ? { homeCommunityId: f.request.homeCommunityId } : {}),
      ...(f.document.patientId !== undefined ? { patientId: f.document.patientId } : {}),
    })), found.length, errors);
  }
  return { found, errors };
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
