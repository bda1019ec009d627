/**
 * ITI-86 Remove Documents (RMD): the repository removes the bytes of each named document on
 * its own; those it cannot remove are listed with their error (XDSUnknownRepositoryId,
 * XDSDocumentUniqueIdError), giving PartialSuccess or Failure.
 */
import { ITI_86 } from '../../transactions';
import { itemsStatus } from '../../domain/submission';
import { removeDocuments as removeFromRepository } from '../../repository/document-access';
import { readDocumentRequests } from '../document-requests';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { registryResponse } from '../registry-response';

/** Removal is one transaction per document; a bound keeps one request from holding the endpoint for long. */
export const MAX_DOCUMENTS_PER_REMOVE = 1000;

export function removeDocuments(services: XdsServices): AuditedXdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.rmd, 'RemoveDocumentsRequest');
    const refs = readDocumentRequests(payload, MAX_DOCUMENTS_PER_REMOVE);
    const { removed, errors } = await removeFromRepository(services, refs.map((r) => ({ repositoryUniqueId: r.repositoryUniqueId, documentUniqueId: r.documentUniqueId })), call.principal, call.audit);
    const status = itemsStatus(removed.length, errors);
    return { action: ITI_86.soap.response, body: [registryResponse(status, errors)] };
  };
}
