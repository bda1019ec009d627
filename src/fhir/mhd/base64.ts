/**
 * Base64 in pieces, so a document never needs a second full-size copy in memory:
 * decoding an ITI-65 Binary.data string slice by slice into the repository stream, and
 * encoding a stored document chunk by chunk into an ITI-68 Binary resource.
 */
import { Readable } from 'node:stream';
import { EventLoopTurns } from '../../event-loop-turns';
import { withoutBase64Whitespace } from '../http/base64-binary';

/** Characters decoded per step; what is left over a multiple of 4 (after whitespace is dropped) carries to the next. */
const SLICE = 256 * 1024;

/**
 * The bytes of a base64 string (the mapping has checked the alphabet), as a stream of chunks.
 * Decoding and the repository's encryption of a 64 MiB document ran as one unbroken chain of
 * promise callbacks (~90 ms, issue 11), the chunks being ready at once; so the event loop is
 * handed over between chunks once a slice is used up. A small document is one chunk, no wait.
 */
export function base64Stream(data: string): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const turns = new EventLoopTurns();
    let carry = '';
    for (let i = 0; i < data.length; i += SLICE) {
      await turns.yield();
      const text = carry + withoutBase64Whitespace(data.slice(i, i + SLICE));
      const whole = text.length - (text.length % 4);
      carry = text.slice(whole);
      if (whole > 0) yield Buffer.from(text.slice(0, whole), 'base64');
    }
    // A sender may leave out the padding; Buffer decodes the remainder either way.
    if (carry.length > 0) yield Buffer.from(carry, 'base64');
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Bytes decoded already (http/document-bytes.ts) as a stream of views, in the same slices and turns as base64Stream. */
export function bytesStream(bytes: Uint8Array): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const turns = new EventLoopTurns();
    const step = (SLICE / 4) * 3;
    for (let i = 0; i < bytes.length; i += step) {
      await turns.yield();
      yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(step, bytes.length - i));
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Length of the base64 text of `bytes` bytes (padded). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Encodes a byte stream as base64 text, holding back at most two bytes between chunks.
 * A generator rather than a Transform: an error of the source (a tampered blob) reaches
 * the consumer, and a consumer that stops (client gone) closes the source.
 */
export async function* encodeBase64(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const all = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const whole = all.length - (all.length % 3);
    rest = all.subarray(whole);
    if (whole > 0) yield all.subarray(0, whole).toString('base64');
  }
  if (rest.length > 0) yield rest.toString('base64');
}
