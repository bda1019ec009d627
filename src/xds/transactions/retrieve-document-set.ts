/**
 * ITI-43 Retrieve Document Set: each xdsb:DocumentRequest is looked up on its own; found
 * documents go back as MTOM parts streamed from the repository (opened only when the writer
 * reaches them, but checked readable before the reply starts, so a failing disk is an
 * XDSRepositoryError for that document rather than a reply cut off after its 200), the others
 * as one RegistryError each (XDSUnknownRepositoryId, XDSDocumentUniqueIdError). Status: Success, PartialSuccess when some were found, Failure
 * when none were. A patient-context caller retrieves only its own patient's documents.
 * XCA's ITI-39 Cross Gateway Retrieve is the same message from another community: each
 * DocumentRequest names this community (see RetrieveOptions) and its HomeCommunityId is echoed.
 */
import { itemsStatus } from '../../domain/submission';
import { retrieveDocuments, type RetrieveOptions } from '../../repository/document-access';
import type { RetrievedDocument } from '../../repository/repository-service';
import { el, newContentId, xopInclude, type OutboundAttachment, type XmlElementSpec } from '../../soap';
import type { XdsTransaction } from '../actions';
import { readDocumentRequests, type DocumentRequest } from '../document-requests';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { registryResponse } from '../registry-response';

/** More documents than this in one request is refused: each is a MIME part and a database lookup. */
export const MAX_DOCUMENTS_PER_RETRIEVE = 1000;

interface Found {
  request: DocumentRequest;
  document: RetrievedDocument;
  contentId: string;
}

/** One xdsb:DocumentResponse, its bytes the MTOM part `contentId`; also an Initiating Gateway's for remote documents. */
export interface DocumentResponseParts {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
  mimeType: string;
  contentId: string;
}

export function documentResponse(d: DocumentResponseParts): XmlElementSpec {
  const text = (local: string, value: string) => el(XDS_NS.xdsb, `xdsb:${local}`, {}, value);
  return el(XDS_NS.xdsb, 'xdsb:DocumentResponse', {},
    d.homeCommunityId !== undefined && text('HomeCommunityId', d.homeCommunityId),
    text('RepositoryUniqueId', d.repositoryUniqueId),
    text('DocumentUniqueId', d.documentUniqueId),
    text('mimeType', d.mimeType),
    el(XDS_NS.xdsb, 'xdsb:Document', {}, xopInclude(d.contentId)),
  );
}

const partsOf = (f: Found): DocumentResponseParts => ({
  ...(f.request.homeCommunityId !== undefined ? { homeCommunityId: f.request.homeCommunityId } : {}),
  repositoryUniqueId: f.document.repositoryUniqueId,
  documentUniqueId: f.document.documentUniqueId,
  mimeType: f.document.mimeType,
  contentId: f.contentId,
});

export function retrieveDocumentSet(services: XdsServices, transaction: XdsTransaction, options: Pick<RetrieveOptions, 'crossCommunity'> = {}): AuditedXdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.xdsb, 'RetrieveDocumentSetRequest');
    // The repository decides what this caller may read and records the read before anything is answered.
    const retrieved = await retrieveDocuments(services, readDocumentRequests(payload, MAX_DOCUMENTS_PER_RETRIEVE), call.principal, call.audit, { ...options, checkReadable: true });
    const found: Found[] = retrieved.found.map((f) => ({ ...f, contentId: newContentId() }));
    const { errors } = retrieved;
    const status = itemsStatus(found.length, errors);
    const attachments: OutboundAttachment[] = found.map((f) => ({ contentId: f.contentId, contentType: f.document.mimeType, content: () => f.document.open() }));
    return {
      action: transaction.response,
      body: [el(XDS_NS.xdsb, 'xdsb:RetrieveDocumentSetResponse', {}, registryResponse(status, errors), ...found.map((f) => documentResponse(partsOf(f))))],
      attachments,
      // ITI-43 and ITI-39 answer with MTOM even when nothing was found, as their WSDL bindings promise.
      mtom: true,
    };
  };
}
