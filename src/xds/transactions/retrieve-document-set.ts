/**
 * ITI-43 Retrieve Document Set: each xdsb:DocumentRequest is looked up on its own; found
 * documents go back as MTOM parts streamed from the repository (opened only when the writer
 * reaches them), the others as one RegistryError each (XDSUnknownRepositoryId,
 * XDSDocumentUniqueIdError). Status: Success, PartialSuccess when some were found, Failure
 * when none were. A patient-context caller retrieves only its own patient's documents.
 */
import type { RegistryErrorDetail } from '../../domain/registry-error';
import { unknownDocument, type RetrievedDocument } from '../../repository/repository-service';
import { el, newContentId, xopInclude, type OutboundAttachment, type XmlElementSpec } from '../../soap';
import { XDS_TRANSACTIONS } from '../actions';
import { xdsAudit } from '../audit';
import { readDocumentRequests, type DocumentRequest } from '../document-requests';
import type { XdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { itemsStatus, registryResponse, rejectionOf } from '../registry-response';

/** More documents than this in one request is refused: each is a MIME part and a database lookup. */
export const MAX_DOCUMENTS_PER_RETRIEVE = 1000;

interface Found {
  request: DocumentRequest;
  document: RetrievedDocument;
  contentId: string;
}

function documentResponse(f: Found): XmlElementSpec {
  const text = (local: string, value: string) => el(XDS_NS.xdsb, `xdsb:${local}`, {}, value);
  return el(XDS_NS.xdsb, 'xdsb:DocumentResponse', {},
    f.request.homeCommunityId !== undefined && text('HomeCommunityId', f.request.homeCommunityId),
    text('RepositoryUniqueId', f.document.repositoryUniqueId),
    text('DocumentUniqueId', f.document.documentUniqueId),
    text('mimeType', f.document.mimeType),
    el(XDS_NS.xdsb, 'xdsb:Document', {}, xopInclude(f.contentId)),
  );
}

export function retrieveDocumentSet(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.xdsb, 'RetrieveDocumentSetRequest');
    const found: Found[] = [];
    const errors: RegistryErrorDetail[] = [];
    for (const r of readDocumentRequests(payload, MAX_DOCUMENTS_PER_RETRIEVE)) {
      try {
        const document = await services.repository.retrieve(r);
        // A patient-context caller is answered for another patient's document exactly as for an unknown one.
        if (call.principal.patientId !== undefined && !(await services.registry.documentPatient(r.documentUniqueId, call.principal)).found) {
          throw unknownDocument(r.documentUniqueId);
        }
        found.push({ request: r, document, contentId: newContentId() });
      } catch (err) {
        errors.push(...rejectionOf(err));
      }
    }
    const status = itemsStatus(found.length, errors);
    // Recorded before the documents are streamed: once bytes leave, the read has happened.
    await xdsAudit(services, 'ITI-43', call).recordDocuments({ status, errors }, found.map((f) => ({
      uniqueId: f.document.documentUniqueId,
      repositoryUniqueId: f.document.repositoryUniqueId,
      ...(f.request.homeCommunityId !== undefined ? { homeCommunityId: f.request.homeCommunityId } : {}),
    })));
    const attachments: OutboundAttachment[] = found.map((f) => ({ contentId: f.contentId, contentType: f.document.mimeType, content: () => f.document.open() }));
    return {
      action: XDS_TRANSACTIONS.retrieve.response,
      body: [el(XDS_NS.xdsb, 'xdsb:RetrieveDocumentSetResponse', {}, registryResponse(status, errors), ...found.map(documentResponse))],
      attachments,
      // ITI-43 answers with MTOM even when nothing was found, as its WSDL binding promises.
      mtom: true,
    };
  };
}
