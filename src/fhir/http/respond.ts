/** Writes a FHIR resource as the response, in the negotiated format. */
import type Koa from 'koa';
import { toFhirXml } from './fhir-xml';
import { contentTypeOf, responseFormat, type FhirFormat } from './formats';

export function serialize(resource: object, format: FhirFormat): string {
  return format === 'json' ? JSON.stringify(resource) : toFhirXml(resource);
}

export function sendResource(ctx: Koa.Context, status: number, resource: object, format: FhirFormat = responseFormat(ctx)): void {
  ctx.status = status;
  ctx.body = serialize(resource, format);
  // After the body: Koa would otherwise type a string body as text/plain.
  ctx.set('Content-Type', contentTypeOf(format));
  ctx.vary('Accept');
}
