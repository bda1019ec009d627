/**
 * Reading request bodies with a hard size limit (413 before buffering anything past it)
 * and turning them into a FHIR resource (JSON or XML, by Content-Type; both within the
 * structural input limits, and holding only text the store can keep) or a search form.
 */
import type Koa from 'koa';
import { decodeUtf8 } from './body-text';
import { requestFormat } from './formats';
import { FhirHttpError } from './http-error';
import type { FhirInputLimits } from './limits';
import { parseResourceBody } from './resource-body';
import { refuseUnstorableParameters } from './unstorable-text';

function tooLarge(limit: number, accepts: string): FhirHttpError {
  // Connection: close, so the rest of an oversize upload is not read into the next request.
  return new FhirHttpError(413, [{ severity: 'error', code: 'too-long', diagnostics: `the request body is larger than the ${limit} bytes ${accepts}` }], { Connection: 'close' });
}

/**
 * A body's chunks as one Buffer. With a Content-Length each chunk is copied into a buffer of
 * that size as it arrives: concatenating a 64 MiB body at its end held the event loop ~60 ms in
 * one piece (issue 11); spread over the chunks the same copying never does. The buffer is
 * uninitialized, so its memory is only touched as bytes come, and it owns its ArrayBuffer, so a
 * parser thread can take it without a copy. Without a length (chunked), or should more come
 * than declared, the chunks are kept and concatenated at the end.
 */
class BodyBytes {
  private whole: Buffer | undefined;
  private readonly chunks: Buffer[] = [];
  size = 0;

  constructor(declared: number) {
    if (Number.isSafeInteger(declared) && declared > 0) this.whole = Buffer.allocUnsafeSlow(declared);
  }

  add(chunk: Buffer): void {
    if (this.whole && this.size + chunk.length <= this.whole.length) chunk.copy(this.whole, this.size);
    else {
      if (this.whole) this.chunks.push(this.whole.subarray(0, this.size));
      this.whole = undefined;
      this.chunks.push(chunk);
    }
    this.size += chunk.length;
  }

  body(): Buffer {
    if (!this.whole) return Buffer.concat(this.chunks, this.size);
    return this.size === this.whole.length ? this.whole : this.whole.subarray(0, this.size);
  }
}

/** The whole body, refusing it once it passes `limit` bytes (by Content-Length, or while it streams); `accepts` names who sets the limit. */
function readBody(ctx: Koa.Context, limit: number, accepts = 'this interaction accepts'): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit, accepts));
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const collected = new BodyBytes(declared);
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      if (collected.size + chunk.length > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit, accepts));
        return;
      }
      collected.add(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(collected.body());
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The FHIR resource in the body, in the format its Content-Type names (415 otherwise).
 * `decodeDocuments`: a Bundle's documents may come decoded (resource-body.ts, document-bytes.ts).
 */
export async function readResourceBody(ctx: Koa.Context, limit: number, inputLimits: FhirInputLimits, decodeDocuments = false): Promise<Record<string, unknown>> {
  const format = requestFormat(ctx);
  const body =
    format === 'xml' && inputLimits.maxXmlBytes < limit
      ? await readBody(ctx, inputLimits.maxXmlBytes, 'this server accepts as FHIR XML (FHIR_XML_MAX_BYTES; JSON bodies may be larger)')
      : await readBody(ctx, limit);
  return parseResourceBody(format, body, inputLimits, decodeDocuments);
}

/** An application/x-www-form-urlencoded body as ordered name/value pairs (POST _search). */
export async function readForm(ctx: Koa.Context, limit: number): Promise<Array<[string, string]>> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw FhirHttpError.of(415, 'not-supported', `POST _search takes application/x-www-form-urlencoded, not ${ctx.get('Content-Type') || '(none)'}`);
  }
  const form = [...new URLSearchParams(decodeUtf8(await readBody(ctx, limit)))];
  refuseUnstorableParameters(form);
  return form;
}
