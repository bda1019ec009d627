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

/** The whole body, refusing it once it passes `limit` bytes (by Content-Length, or while it streams); `accepts` names who sets the limit. */
function readBody(ctx: Koa.Context, limit: number, accepts = 'this interaction accepts'): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit, accepts));
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit, accepts));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
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

/** The FHIR resource in the body, in the format its Content-Type names (415 otherwise). */
export async function readResourceBody(ctx: Koa.Context, limit: number, inputLimits: FhirInputLimits): Promise<Record<string, unknown>> {
  const format = requestFormat(ctx);
  const body =
    format === 'xml' && inputLimits.maxXmlBytes < limit
      ? await readBody(ctx, inputLimits.maxXmlBytes, 'this server accepts as FHIR XML (FHIR_XML_MAX_BYTES; JSON bodies may be larger)')
      : await readBody(ctx, limit);
  return parseResourceBody(format, body, inputLimits);
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
