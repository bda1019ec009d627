/**
 * ITI-68 Retrieve Document: GET (and HEAD) on the attachment URL the mapping writes,
 * `[base]/Binary/{documentUniqueId}?repositoryUniqueId=…&homeCommunityId=…`.
 *
 * - The bytes are streamed from the repository with the document's mimeType,
 *   Content-Length and the SHA-1 as a strong ETag; If-None-Match answers 304 without
 *   opening the blob. Last-Modified is not sent: the repository keeps no storage time.
 * - `_format`, or an Accept header preferring FHIR JSON/XML over the document's own type,
 *   gets a Binary resource instead (base64, contentType), streamed as well, with its own
 *   ETag. An Accept that allows neither is 406 (ITI-68 Table 2:3.68.4.2.2-1).
 * - Unknown document or repository: 404 with the XDS code; this community's homeCommunityId
 *   (or none) is served locally, another community's through the remote-document cache
 *   (remote/retrieve-remote-document.ts), one the directory does not know is 404 XDSUnknownCommunity.
 * - A patient-context principal may only retrieve its own patient's documents; anything
 *   else is answered exactly like an unknown document.
 * - A disk that fails when the document is opened: 503 with XDSRepositoryError (a failure
 *   after the first bytes can only cut the response off).
 * - Audited (ITI-68) with the document's patient before the first byte is sent. A small
 *   document is read and authenticated while that record commits; one of up to a blob segment
 *   is read whole once it is durable; either goes out as one buffer. A larger one is streamed.
 */
import type Koa from 'koa';
import { requireOwnCommunity } from '../../domain/community';
import { RegistryError } from '../../domain/registry-error';
import { retrieveDocuments } from '../../repository/document-access';
import { respond, willSend } from './document-response';
import type { AuditedHandler } from '../http/audit';
import { mhdRequest, routeParam } from '../http/services';
import { retrieveRemoteDocument } from './remote/retrieve-remote-document';

function queryValue(ctx: Koa.Context, name: string): string | undefined {
  const raw = ctx.query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === '' ? undefined : value;
}

export const retrieveDocument: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const documentUniqueId = routeParam(ctx, 'id');
  const homeCommunityId = queryValue(ctx, 'homeCommunityId');
  if (homeCommunityId && homeCommunityId !== services.homeCommunityId && services.remote) {
    await retrieveRemoteDocument(ctx, services.remote, audit, { homeCommunityId, documentUniqueId, repositoryUniqueId: queryValue(ctx, 'repositoryUniqueId') });
    return;
  }
  requireOwnCommunity(homeCommunityId || undefined, services.homeCommunityId, false);
  const repositoryUniqueId = queryValue(ctx, 'repositoryUniqueId') ?? services.repository.repositoryUniqueId;
  audit.note({ documents: [{ uniqueId: documentUniqueId, repositoryUniqueId, homeCommunityId: services.homeCommunityId }] });
  // The repository decides whether this caller may read the document and records the read first.
  const { found, errors } = await retrieveDocuments(services, [{ repositoryUniqueId, documentUniqueId, homeCommunityId: services.homeCommunityId }], req.principal, audit, { preload: (d) => willSend(ctx, d) });
  const doc = found[0]?.document;
  if (!doc) throw new RegistryError(errors);
  await respond(ctx, doc);
};
