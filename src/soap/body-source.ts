/**
 * How the SOAP layer reads an HTTP body (a Node Readable such as Koa's ctx.req, or any async
 * iterable of bytes) without destroying it when it stops early.
 *
 * Stopping early is normal here (a size limit, a malformed part, a handler that failed), and the
 * caller still has to answer with a SOAP fault. A Readable's default async iterator destroys the
 * stream when the loop is left, and destroying an IncomingMessage destroys the socket, so the
 * fault could never be sent. We iterate with destroyOnReturn: false and, when done, resume() the
 * stream so the rest of the body is read and discarded as it arrives.
 */
import { Readable } from 'node:stream';
import { toBuffer } from '../bytes';

export type BodySource = Readable | AsyncIterable<Buffer | Uint8Array | string>;

export function bodyIterator(source: BodySource): AsyncIterator<Buffer | Uint8Array | string> {
  return source instanceof Readable ? source.iterator({ destroyOnReturn: false }) : source[Symbol.asyncIterator]();
}

/**
 * Stops reading: ends `iterator` without waiting for a read in progress (a stalled client must
 * not stall us), then lets a Readable source flow into the void. The HTTP layer may still prefer
 * `Connection: close` after refusing a large body.
 */
export function abandonBody(source: BodySource, iterator: AsyncIterator<unknown>): void {
  Promise.resolve(iterator.return?.())
    .catch(() => undefined)
    // The iterator removes its 'readable' listener on a later tick; resume() before that is a no-op.
    .then(() => setImmediate(() => {
      if (source instanceof Readable && !source.destroyed) source.resume();
    }))
    .catch(() => undefined);
}

/** Reads the whole body, failing with tooLarge() as soon as it exceeds `max` bytes (the rest is drained, not buffered). */
export async function readBounded(source: BodySource, max: number, tooLarge: () => Error): Promise<Buffer> {
  const iterator = bodyIterator(source);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const b = toBuffer(r.value);
      size += b.length;
      if (size > max) throw tooLarge();
      chunks.push(b);
    }
  } catch (err) {
    abandonBody(source, iterator);
    throw err;
  }
  return Buffer.concat(chunks, size);
}
