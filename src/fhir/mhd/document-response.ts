/**
 * The answer of an ITI-68 read, whoever holds the document (the local repository or the
 * remote-document cache): its bytes with its type, length and SHA-1 as a strong ETag, or a
 * FHIR Binary when Accept or _format asks for one; 304 when the client's copy is current.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import type { RetrievedDocument } from '../../repository/repository-service';
import { binaryRepresentation } from './binary-representation';
import { noneMatchHolds } from '../http/conditional';
import { contentTypeOf, formatOfMediaType, formatParameter, type FhirFormat } from '../http/formats';
import { FhirHttpError } from '../http/http-error';

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

function send(ctx: Koa.Context, type: string, length: number, body: NodeJS.ReadableStream | undefined): void {
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
async function openedDocument(ctx: Koa.Context, doc: ServedDocument): Promise<Readable | undefined> {
  if (ctx.method === 'HEAD') return undefined;
  const stream = doc.open();
  await once(stream, 'readable');
  return stream;
}

/** What an ITI-68 answer needs of a document, local or cached from another community. */
export type ServedDocument = Pick<RetrievedDocument, 'documentUniqueId' | 'mimeType' | 'size' | 'hash' | 'open'>;

export async function respond(ctx: Koa.Context, doc: ServedDocument): Promise<void> {
  const as = representation(ctx, doc.mimeType);
  if (as === 'raw') {
    if (notModified(ctx, `"${doc.hash}"`)) return;
    send(ctx, doc.mimeType, doc.size, await openedDocument(ctx, doc));
    return;
  }
  if (notModified(ctx, `"${doc.hash}.${as}"`)) return;
  const content = await openedDocument(ctx, doc);
  const binary = binaryRepresentation(as, { id: doc.documentUniqueId, contentType: doc.mimeType, size: doc.size, open: () => content! });
  send(ctx, contentTypeOf(as), binary.length, content && binary.body());
}
