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
import type { Principal } from '../domain/principal';
import { SYSTEM_PRINCIPAL } from '../domain/principal';
import { requireOwnCommunity } from '../domain/community';
import { RegistryError, type RegistryErrorDetail } from '../domain/registry-error';
import { StoredQueryId } from '../domain/stored-query-catalog';
import { itemsStatus } from '../domain/submission';
import type { Registry } from '../registry/registry';
import { unknownDocument, type DocumentReference, type RepositoryService, type RetrievedDocument } from './repository-service';

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
  const result = await registry.query({ queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryUniqueId: [[...new Set(uniqueIds)]] } }, principal);
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

export interface RetrieveCall {
  /**
   * The request came from another community (XCA ITI-39): each document must name this
   * community; one naming another, or none, is refused on its own (XDSUnknownCommunity,
   * XDSMissingHomeCommunityId) while the others are served.
   */
  crossCommunity?: boolean;
}

/** ITI-43 / ITI-39 / ITI-68: the documents found and visible to `principal`, and one error per other request. */
export async function retrieveDocuments<R extends DocumentRequest>(deps: DocumentAccessDeps, requests: readonly R[], principal: Principal, audit?: AuditScope, call: RetrieveCall = {}): Promise<{ found: Retrieved<R>[]; errors: RegistryErrorDetail[] }> {
  const candidates: Retrieved<R>[] = [];
  const errors: RegistryErrorDetail[] = [];
  // One lookup per document brings its registry patient along; a single document's inline bytes too.
  const withContent = requests.length === 1;
  for (const request of requests) {
    try {
      if (call.crossCommunity) requireOwnCommunity(request.homeCommunityId, deps.registry.options.homeCommunityId, true, request.documentUniqueId);
      candidates.push({ request, document: await deps.repository.retrieve(request, { withContent }) });
    } catch (err) {
      errors.push(...rejected(err));
    }
  }
  const found = candidates.filter((c) => {
    if (principal.patientId === undefined || c.document.patientId === principal.patientId) return true;
    errors.push(...unknownDocument(c.document.documentUniqueId).errors);
    return false;
  });
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
 * from the registry's metadata, which ITI-86 leaves in place.
 */
export async function removeDocuments(deps: DocumentAccessDeps, refs: readonly DocumentReference[], _principal: Principal, audit?: AuditScope): Promise<{ removed: DocumentReference[]; errors: RegistryErrorDetail[] }> {
  const { removed, errors } = await deps.repository.remove([...refs]);
  if (audit) {
    const patients = await patientsOf(deps.registry, removed.map((r) => r.documentUniqueId), SYSTEM_PRINCIPAL);
    await recordPerPatient(audit, removed.map((r) => ({
      uniqueId: r.documentUniqueId,
      repositoryUniqueId: r.repositoryUniqueId,
      ...(patients.has(r.documentUniqueId) ? { patientId: patients.get(r.documentUniqueId)! } : {}),
    })), removed.length, errors);
  }
  return { removed, errors };
}
