/**
 * Reading request bodies with a hard size limit (413 before buffering anything past it)
 * and turning them into a FHIR resource (JSON or XML, by Content-Type) or a search form.
 * Bodies are UTF-8 (FHIR R4 http.html); invalid UTF-8 is refused, not patched over.
 */
import type Koa from 'koa';
import { parseFhirXml } from './fhir-xml';
import { requestFormat } from './formats';
import { FhirHttpError } from './http-error';

function tooLarge(limit: number): FhirHttpError {
  // Connection: close, so the rest of an oversize upload is not read into the next request.
  return new FhirHttpError(413, [{ severity: 'error', code: 'too-long', diagnostics: `the request body is larger than the ${limit} bytes this interaction accepts` }], { Connection: 'close' });
}

/** The whole body, refusing it once it passes `limit` bytes (by Content-Length, or while it streams). */
export function readBody(ctx: Koa.Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length') || NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
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
        reject(tooLarge(limit));
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

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw FhirHttpError.of(400, 'structure', 'the request body is not valid UTF-8');
  }
}

function parseJsonResource(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw FhirHttpError.of(400, 'structure', `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
    throw FhirHttpError.of(400, 'structure', 'the body is not a FHIR resource (a JSON object with a resourceType)');
  }
  return value as Record<string, unknown>;
}

/** The FHIR resource in the body, in the format its Content-Type names (415 otherwise). */
export async function readResource(ctx: Koa.Context, limit: number): Promise<Record<string, unknown>> {
  const format = requestFormat(ctx);
  const text = decodeUtf8(await readBody(ctx, limit));
  if (text.trim() === '') throw FhirHttpError.of(400, 'required', 'the request has no body');
  return format === 'json' ? parseJsonResource(text) : parseFhirXml(text);
}

/** An application/x-www-form-urlencoded body as ordered name/value pairs (POST _search). */
export async function readForm(ctx: Koa.Context, limit: number): Promise<Array<[string, string]>> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw FhirHttpError.of(415, 'not-supported', `POST _search takes application/x-www-form-urlencoded, not ${ctx.get('Content-Type') || '(none)'}`);
  }
  return [...new URLSearchParams(decodeUtf8(await readBody(ctx, limit)))];
}
