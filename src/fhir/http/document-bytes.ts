/**
 * Documents' bytes decoded where a large body is parsed (the parser thread, body-parser-thread.ts)
 * instead of on the main thread. A Bundle's documents are most of its size: as base64 strings
 * they came back from the thread by structured clone (~50 ms for 64 MiB on the main thread, in
 * one piece) and then sat in the main heap, where each collection had to copy or scan them
 * (issue 11). Decoded in the thread into one ArrayBuffer, they cross by transfer, no copy, and
 * live outside the heap.
 *
 * Which values: the base64Binary that carries a document, Binary.data and Attachment.data of
 * DocumentReference.content, in a Bundle's entries. Each one that is valid base64Binary
 * (base64-binary.ts) is decoded; the rest stay as they were, for the mapping to report. In the
 * resource the value is replaced by a placeholder that is not base64, so code that would read it
 * as text refuses it instead of storing something else, and the bytes hang off the element
 * (the Binary or the Attachment) under a symbol: invisible to JSON, Object.keys and for-in.
 */
import { isBase64Binary } from './base64-binary';

/** Where a piece of the shared buffer belongs: entry[entry].resource.data, or .content[content].attachment.data. */
interface Piece {
  entry: number;
  content?: number;
  start: number;
  end: number;
}

export interface DecodedDocuments {
  buffer: ArrayBuffer;
  pieces: Piece[];
}

export const DECODED_PLACEHOLDER = 'decoded-by-the-body-parser';
const DOCUMENT_BYTES = Symbol('decoded document bytes');

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each element holding a document's base64 in `bundle`, with where it is. */
function* documentHolders(bundle: Json): Generator<{ holder: Json; entry: number; content?: number }> {
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return;
  for (const [entry, e] of bundle.entry.entries()) {
    const resource = isObject(e) ? e.resource : undefined;
    if (!isObject(resource)) continue;
    if (resource.resourceType === 'Binary') yield { holder: resource, entry };
    else if (resource.resourceType === 'DocumentReference' && Array.isArray(resource.content)) {
      for (const [content, c] of resource.content.entries()) {
        if (isObject(c) && isObject(c.attachment)) yield { holder: c.attachment, entry, content };
      }
    }
  }
}

function holderAt(bundle: Json, piece: Piece): Json {
  const resource = ((bundle.entry as Json[])[piece.entry] as Json).resource as Json;
  return piece.content === undefined ? resource : (((resource.content as Json[])[piece.content] as Json).attachment as Json);
}

/** In the parser thread: decodes `bundle`'s documents into one buffer (to transfer) and leaves placeholders. */
export function decodeDocuments(bundle: Json): DecodedDocuments | undefined {
  const found: Array<{ holder: Json; entry: number; content?: number; text: string }> = [];
  let room = 0;
  for (const h of documentHolders(bundle)) {
    const text = h.holder.data;
    if (typeof text !== 'string' || text === '' || !isBase64Binary(text)) continue;
    found.push({ ...h, text });
    room += Math.ceil(text.length / 4) * 3;
  }
  if (found.length === 0) return undefined;
  // Not Buffer.alloc: a small one is a slice of Node's shared pool, whose ArrayBuffer must not be transferred.
  const bytes = Buffer.from(new ArrayBuffer(room));
  const pieces: Piece[] = [];
  let at = 0;
  for (const f of found) {
    const end = at + bytes.write(f.text, at, 'base64');
    pieces.push({ entry: f.entry, ...(f.content === undefined ? {} : { content: f.content }), start: at, end });
    f.holder.data = DECODED_PLACEHOLDER;
    at = end;
  }
  return { buffer: bytes.buffer, pieces };
}

/** On the main thread: hangs each decoded document off its element again. */
export function attachDecodedDocuments(bundle: Json, decoded: DecodedDocuments): void {
  for (const piece of decoded.pieces) {
    const holder = holderAt(bundle, piece) as { [DOCUMENT_BYTES]?: Uint8Array };
    holder[DOCUMENT_BYTES] = new Uint8Array(decoded.buffer, piece.start, piece.end - piece.start);
  }
}

/** The decoded bytes of a Binary or Attachment, if the body parser decoded its data. */
export function decodedDocumentBytes(holder: object): Uint8Array | undefined {
  return (holder as { [DOCUMENT_BYTES]?: Uint8Array })[DOCUMENT_BYTES];
}
