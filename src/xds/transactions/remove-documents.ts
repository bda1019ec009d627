/**
 * ITI-86 Remove Documents (RMD): the repository removes the bytes of each named document on
 * its own; those it cannot remove are listed with their error (XDSUnknownRepositoryId,
 * XDSDocumentUniqueIdError), giving PartialSuccess or Failure.
 */
import { XDS_TRANSACTIONS } from '../actions';
import { xdsAudit } from '../audit';
import { readDocumentRequests } from '../document-requests';
import type { XdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { itemsStatus, registryResponse } from '../registry-response';

/** Removal is one transaction per document; a bound keeps one request from holding the endpoint for long. */
export const MAX_DOCUMENTS_PER_REMOVE = 1000;

export function removeDocuments(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.rmd, 'RemoveDocumentsRequest');
    const refs = readDocumentRequests(payload, MAX_DOCUMENTS_PER_REMOVE);
    const { removed, errors } = await services.repository.remove(refs.map((r) => ({ repositoryUniqueId: r.repositoryUniqueId, documentUniqueId: r.documentUniqueId })));
    const status = itemsStatus(removed.length, errors);
    // Each document is removed in its own transaction, so the event (the removed documents,
    // the per-item errors as its outcome) is recorded once all are done, before answering.
    await xdsAudit(services, 'ITI-86', call).recordDocuments({ status, errors }, removed.map((r) => ({ uniqueId: r.documentUniqueId, repositoryUniqueId: r.repositoryUniqueId })));
    return { action: XDS_TRANSACTIONS.removeDocuments.response, body: [registryResponse(status, errors)] };
  };
}
