/**
 * The answer of an ITI-68 read, whoever holds the document (the local repository or the
 * remote-document cache): its bytes with its type, length and SHA-1 as a strong ETag, or a
 * FHIR Binary when Accept or _format asks for one; 304 when the client's copy is current.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import { WHOLE_READ_MAX_BYTES, type RetrievedDocument } from '../../repository/repository-service';
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
async function openedDocument(ctx: Koa.Context, doc: ServedDocument): Promise<Readable | undefined> {
  if (ctx.method === 'HEAD') return undefined;
  const stream = doc.open();
  await once(stream, 'readable');
  return stream;
}

/**
 * What an ITI-68 answer needs of a document, local or cached from another community. A local
 * one may come already read (`content`, a small document read while its audit record
 * committed) or be readable whole (`read`, up to a blob segment).
 */
export type ServedDocument = Pick<RetrievedDocument, 'documentUniqueId' | 'mimeType' | 'size' | 'hash' | 'open'> & Partial<Pick<RetrievedDocument, 'content' | 'read'>>;

/** The ETag of the representation the request asks for (representation() throws the 406 for none). */
function etagOf(ctx: Koa.Context, doc: ServedDocument, as = representation(ctx, doc.mimeType)): string {
  return as === 'raw' ? `"${doc.hash}"` : `"${doc.hash}.${as}"`;
}

/**
 * Whether the document's bytes will be sent (a GET whose client copy is not current): then a
 * small one is read while its audit record commits. Anything unsure (a 406 to come) says no.
 */
export function willSend(ctx: Koa.Context, doc: ServedDocument): boolean {
  if (ctx.method !== 'GET') return false;
  try {
    return noneMatchHolds(ctx.get('If-None-Match') || undefined, etagOf(ctx, doc));
  } catch {
    return false;
  }
}

export async function respond(ctx: Koa.Context, doc: ServedDocument): Promise<void> {
  const as = representation(ctx, doc.mimeType);
  if (as === 'raw') {
    if (notModified(ctx, etagOf(ctx, doc, as))) return;
    // Up to a segment: read whole and sent as one Buffer, with no stream to pipe (read already
    // when small, see retrieveDocuments' preload).
    const whole = ctx.method === 'GET' && doc.read !== undefined && doc.size <= WHOLE_READ_MAX_BYTES;
    send(ctx, doc.mimeType, doc.size, doc.content ?? (whole ? await doc.read!() : await openedDocument(ctx, doc)));
    return;
  }
  if (notModified(ctx, etagOf(ctx, doc, as))) return;
  const content = await openedDocument(ctx, doc);
  const binary = binaryRepresentation(as, { id: doc.documentUniqueId, contentType: doc.mimeType, size: doc.size, open: () => content! });
  send(ctx, contentTypeOf(as), binary.length, content && binary.body());
}
