/**
 * Content negotiation of the FHIR endpoint (FHIR R4 http.html#mime-type):
 * - request bodies: Content-Type application/fhir+json | application/json, or
 *   application/fhir+xml | application/xml (text/xml tolerated), anything else is 415;
 * - responses: `_format` first (json, xml or one of those types), then Accept, then the
 *   format the request itself was written in, else JSON.
 */
import type Koa from 'koa';
import { FhirHttpError } from './http-error';

export type FhirFormat = 'json' | 'xml';

const FHIR_MEDIA_TYPE: Readonly<Record<FhirFormat, string>> = {
  json: 'application/fhir+json',
  xml: 'application/fhir+xml',
};

/** The Content-Type header every FHIR response carries. */
export function contentTypeOf(format: FhirFormat): string {
  return `${FHIR_MEDIA_TYPE[format]}; charset=utf-8`;
}

const BY_NAME: Readonly<Record<string, FhirFormat>> = {
  json: 'json',
  'application/fhir+json': 'json',
  'application/json': 'json',
  'application/json+fhir': 'json', // DSTU2 spelling some clients still send
  xml: 'xml',
  'application/fhir+xml': 'xml',
  'application/xml': 'xml',
  'application/xml+fhir': 'xml',
  'text/xml': 'xml',
};

/** `application/fhir+json; fhirVersion=4.0` -> json; undefined for anything not FHIR JSON/XML. */
export function formatOfMediaType(value: string | undefined): FhirFormat | undefined {
  if (!value) return undefined;
  const bare = value.split(';')[0]!.trim().toLowerCase();
  return BY_NAME[bare];
}

/** The `_format` query parameter, when given; an unknown value is refused rather than ignored. */
export function formatParameter(ctx: Koa.Context): FhirFormat | undefined {
  const raw = ctx.query._format;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return undefined;
  const format = formatOfMediaType(value);
  if (!format) throw FhirHttpError.of(406, 'not-supported', `_format=${value} is not supported; use json, xml, ${FHIR_MEDIA_TYPE.json} or ${FHIR_MEDIA_TYPE.xml}`);
  return format;
}

/** Media types in the order a tie in Accept is broken: FHIR JSON first. */
const ACCEPTABLE = ['application/fhir+json', 'application/fhir+xml', 'application/json', 'application/xml', 'text/xml'];

/** The FHIR format the Accept header prefers, or undefined when it names none (absent, or only wildcards). */
function acceptedFormat(ctx: Koa.Context): FhirFormat | undefined {
  const accept = ctx.get('Accept');
  // The usual header names one media type without parameters: no negotiation needed.
  if (accept && !accept.includes(',') && !accept.includes(';')) {
    const single = accept.trim().toLowerCase();
    if (ACCEPTABLE.includes(single)) return formatOfMediaType(single);
  }
  if (!accept || accept.split(',').every((part) => part.trim().startsWith('*/*'))) return undefined;
  const best = ctx.accepts(ACCEPTABLE);
  return typeof best === 'string' ? formatOfMediaType(best) : undefined;
}

/** The format of the request body; throws 415 for a body that is neither FHIR JSON nor XML. */
export function requestFormat(ctx: Koa.Context): FhirFormat {
  const type = ctx.get('Content-Type');
  const format = formatOfMediaType(type);
  if (!format) {
    throw FhirHttpError.of(415, 'not-supported', `Content-Type ${type || '(none)'} is not supported; send ${FHIR_MEDIA_TYPE.json} or ${FHIR_MEDIA_TYPE.xml}`);
  }
  return format;
}

/** The format to answer in; `_format` wins, then Accept, then the request's own format. */
export function responseFormat(ctx: Koa.Context): FhirFormat {
  return formatParameter(ctx) ?? acceptedFormat(ctx) ?? formatOfMediaType(ctx.get('Content-Type')) ?? 'json';
}

/** responseFormat for the error path: a bad `_format` must not hide the original error. */
export function responseFormatOrJson(ctx: Koa.Context): FhirFormat {
  try {
    return responseFormat(ctx);
  } catch {
    return 'json';
  }
}
