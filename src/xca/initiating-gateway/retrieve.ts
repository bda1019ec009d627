/**
 * ITI-43 at the XCA Initiating Gateway: a local consumer's Retrieve Document Set. Requests
 * naming no community or this one are answered from the local repository, as ITI-43 is; those
 * naming another community go to it as ITI-39, one call per community, side by side, and its
 * documents stream through to the consumer as MTOM parts. A community that cannot answer is
 * an XDSUnavailableCommunity error, one not in the directory XDSUnknownCommunity; the status is
 * PartialSuccess while some document came back.
 */
import type { Communities } from '../../communities/communities';
import { itemsStatus } from '../../domain/submission';
import { retrieveDocuments } from '../../repository/document-access';
import { el, newContentId, type OutboundAttachment } from '../../soap';
import type { XdsTransaction } from '../../xds/actions';
import { readDocumentRequests, type DocumentRequest } from '../../xds/document-requests';
import type { AuditedXdsHandler, XdsServices } from '../../xds/handler';
import { XDS_NS } from '../../xds/namespaces';
import { requirePayload } from '../../xds/payload';
import { registryResponse } from '../../xds/registry-response';
import { documentResponse, MAX_DOCUMENTS_PER_RETRIEVE, type DocumentResponseParts } from '../../xds/transactions/retrieve-document-set';
import { releaseWhenRead } from './release-when-read';
import { callerIdentityOf } from './caller-identity';

function byCommunity(requests: readonly DocumentRequest[], local: string): { local: DocumentRequest[]; remote: Map<string, DocumentRequest[]> } {
  const out = { local: [] as DocumentRequest[], remote: new Map<string, DocumentRequest[]>() };
  for (const r of requests) {
    if (r.homeCommunityId === undefined || r.homeCommunityId === local) out.local.push(r);
    else out.remote.set(r.homeCommunityId, [...(out.remote.get(r.homeCommunityId) ?? []), r]);
  }
  return out;
}

export function initiatingRetrieve(services: XdsServices, communities: Communities, transaction: XdsTransaction): AuditedXdsHandler {
  const localId = services.registry.options.homeCommunityId;
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.xdsb, 'RetrieveDocumentSetRequest');
    const split = byCommunity(readDocumentRequests(payload, MAX_DOCUMENTS_PER_RETRIEVE), localId);
    const identity = callerIdentityOf(request);
    const requestId = request.addressing.messageId ?? crypto.randomUUID();
    const [local, remote] = await Promise.all([
      // The repository decides what this caller may read and records the consumer's ITI-43 read.
      retrieveDocuments(services, split.local, call.principal, call.audit, { checkReadable: true }),
      Promise.all([...split.remote].map(([homeCommunityId, documents]) => communities.retrieval.retrieve({
        requestId, homeCommunityId, principal: call.principal, identity,
        documents: documents.map((d) => ({ homeCommunityId, repositoryUniqueId: d.repositoryUniqueId, documentUniqueId: d.documentUniqueId })),
      }))),
    ]);
    const parts: Array<DocumentResponseParts & { open: OutboundAttachment['content'] }> = [
      ...local.found.map((f) => ({
        ...(f.request.homeCommunityId !== undefined ? { homeCommunityId: f.request.homeCommunityId } : {}),
        repositoryUniqueId: f.document.repositoryUniqueId, documentUniqueId: f.document.documentUniqueId, mimeType: f.document.mimeType,
        contentId: newContentId(), open: () => f.document.open(),
      })),
      ...releaseWhenRead(remote).map((d) => ({
        homeCommunityId: d.homeCommunityId, repositoryUniqueId: d.repositoryUniqueId, documentUniqueId: d.documentUniqueId, mimeType: d.mimeType,
        contentId: newContentId(), open: () => d.open(),
      })),
    ];
    const errors = [...local.errors, ...remote.flatMap((r) => r.errors)];
    return {
      action: transaction.response,
      body: [el(XDS_NS.xdsb, 'xdsb:RetrieveDocumentSetResponse', {}, registryResponse(itemsStatus(parts.length, errors), errors), ...parts.map(documentResponse))],
      attachments: parts.map((p) => ({ contentId: p.contentId, contentType: p.mimeType, content: p.open })),
      mtom: true,
    };
  };
}
