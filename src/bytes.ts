import { isAscii } from 'node:buffer';

/** A chunk as a Buffer without copying it (strings as UTF-8): drivers and streams hand over Uint8Arrays too. */
export function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** All of a stream's bytes; a stream of one chunk (a document of one segment) is answered with that chunk, uncopied. */
export async function collectBytes(source: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(toBuffer(chunk));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Bytes as UTF-8 text (a UTF-8 byte order mark dropped); throws TypeError on invalid UTF-8.
 * Most request bodies are ASCII (base64, codes, ids, markup): read byte for byte, which is the
 * same text, at a thirtieth of the decoder's cost (~16 us for 20 KB).
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  if (isAscii(bytes)) return toBuffer(bytes).toString('latin1');
  return strictUtf8.decode(bytes);
}
