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
 *   (or none) is served locally, another community's is 404 XDSUnknownCommunity
 *   (cross-community routing is not here yet).
 * - A patient-context principal may only retrieve its own patient's documents; anything
 *   else is answered exactly like an unknown document.
 * - A disk that fails when the document is opened: 503 with XDSRepositoryError (a failure
 *   after the first bytes can only cut the response off).
 * - Audited (ITI-68) with the document's patient before the first byte is sent. A small
 *   document is read and authenticated while that record commits; one of up to a blob segment
 *   is read whole once it is durable; either goes out as one buffer. A larger one is streamed.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import { requireOwnCommunity } from '../../domain/community';
import { RegistryError } from '../../domain/registry-error';
import { retrieveDocuments } from '../../repository/document-access';
import { WHOLE_READ_MAX_BYTES, type RetrievedDocument } from '../../repository/repository-service';
import { binaryRepresentation } from './binary-representation';
import { noneMatchHolds } from '../http/conditional';
import { contentTypeOf, formatOfMediaType, formatParameter, type FhirFormat } from '../http/formats';
import { FhirHttpError } from '../http/http-error';
import type { AuditedHandler } from '../http/audit';
import { mhdRequest, routeParam } from '../http/services';

function queryValue(ctx: Koa.Context, name: string): string | undefined {
  const raw = ctx.query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === '' ? undefined : value;
}

/** Raw bytes, or a Binary resource in one of the FHIR formats. */
function representation(ctx: Koa.Context, mimeType: string): 'raw' | FhirFormat {
  const asked = formatParameter(ctx);
  if (asked) return asked;
  const accept = ctx.get('Accept');
  if (!accept) return 'raw';
  // The document's own type first, so a tie (e.g. */*) means the bytes.
  const best = ctx.accepts([mimeType, 'application/fhir+json', 'application/fhir+xml', 'application/json', 'application/xml']);
  if (best === false) {
    throw FhirHttpError.of(406, 'not-supported', `the document is ${mimeType}; Accept allows neither that nor a FHIR Binary (${contentTypeOf('json')} or ${contentTypeOf('xml')})`);
  }
  return best === mimeType ? 'raw' : (formatOfMediaType(best) ?? 'raw');
}

/** Sets the validators and answers 304 when the client's copy is current; true if it did. */
function notModified(ctx: Koa.Context, etag: string): boolean {
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'private, no-cache');
  ctx.vary('Accept');
  if (noneMatchHolds(ctx.get('If-None-Match') || undefined, etag)) return false;
  ctx.status = 304;
  return true;
}

function send(ctx: Koa.Context, type: string, length: number, body: Buffer | NodeJS.ReadableStream | undefined): void {
  ctx.status = 200;
  if (body) ctx.body = body;
  ctx.set('Content-Type', type);
  ctx.length = length;
}

/**
 * The document's stream once its first bytes can be read (HEAD: none, the blob is never
 * opened): a disk that fails on opening is then answered (503, see error-handler.ts) before
 * the status line goes out, instead of cutting off a 200.
 */
async function openedDocument(ctx: Koa.Context, doc: RetrievedDocument): Promise<Readable | undefined> {
  if (ctx.method === 'HEAD') return undefined;
  const stream = doc.open();
  await once(stream, 'readable');
  return stream;
}

/** The ETag of the representation the request asks for (representation() throws the 406 for none). */
function etagOf(ctx: Koa.Context, doc: RetrievedDocument, as = representation(ctx, doc.mimeType)): string {
  return as === 'raw' ? `"${doc.hash}"` : `"${doc.hash}.${as}"`;
}

/**
 * Whether the document's bytes will be sent (a GET whose client copy is not current): then a
 * small one is read while its audit record commits. Anything unsure (a 406 to come) says no.
 */
function willSend(ctx: Koa.Context, doc: RetrievedDocument): boolean {
  if (ctx.method !== 'GET') return false;
  try {
    return noneMatchHolds(ctx.get('If-None-Match') || undefined, etagOf(ctx, doc));
  } catch {
    return false;
  }
}

async function respond(ctx: Koa.Context, doc: RetrievedDocument): Promise<void> {
  const as = representation(ctx, doc.mimeType);
  if (as === 'raw') {
    if (notModified(ctx, etagOf(ctx, doc, as))) return;
    // Up to a segment: read whole and sent as one Buffer, with no stream to pipe (read already
    // when small, see retrieveDocuments' preload).
    const whole = ctx.method === 'GET' && doc.size <= WHOLE_READ_MAX_BYTES;
    send(ctx, doc.mimeType, doc.size, doc.content ?? (whole ? await doc.read() : await openedDocument(ctx, doc)));
    return;
  }
  if (notModified(ctx, etagOf(ctx, doc, as))) return;
  const content = await openedDocument(ctx, doc);
  const binary = binaryRepresentation(as, { id: doc.documentUniqueId, contentType: doc.mimeType, size: doc.size, open: () => content! });
  send(ctx, contentTypeOf(as), binary.length, content && binary.body());
}

export const retrieveDocument: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const documentUniqueId = routeParam(ctx, 'id');
  const homeCommunityId = queryValue(ctx, 'homeCommunityId');
  // This community's documents are served here; another's are not routed yet.
  requireOwnCommunity(homeCommunityId || undefined, services.homeCommunityId, false);
  const repositoryUniqueId = queryValue(ctx, 'repositoryUniqueId') ?? services.repository.repositoryUniqueId;
  audit.note({ documents: [{ uniqueId: documentUniqueId, repositoryUniqueId, homeCommunityId: services.homeCommunityId }] });
  // The repository decides whether this caller may read the document and records the read first.
  const { found, errors } = await retrieveDocuments(services, [{ repositoryUniqueId, documentUniqueId, homeCommunityId: services.homeCommunityId }], req.principal, audit, { preload: (d) => willSend(ctx, d) });
  const doc = found[0]?.document;
  if (!doc) throw new RegistryError(errors);
  await respond(ctx, doc);
};
