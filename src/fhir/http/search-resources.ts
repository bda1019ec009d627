/**
 * ITI-67 Find Document References and ITI-66 Find Document Lists: search by GET or by
 * POST [type]/_search (form-encoded, plus any URL parameters), and read by id. This file
 * only gathers the request; which parameters exist and what they mean is the search
 * module's (src/fhir/mhd/search), including the Czech `hcid`, which is passed through as sent.
 * `_format` is an HTTP concern and is consumed here. `Prefer: handling=strict|lenient`
 * (FHIR R4 search.html#errors) chooses whether unknown parameters fail; lenient by default.
 * Each search and read is audited (ITI-66 / ITI-67) by the registry (Registry.recordedRead)
 * before its response is sent, with the patient its results are about.
 */
import type Koa from 'koa';
import { readResource, searchResources, type SearchResourceType } from '../mhd/search';
import { FhirHttpError } from './http-error';
import { BODY_LIMITS } from './limits';
import { readForm } from './request-body';
import { sendResource } from './respond';
import type { AuditedHandler } from './audit';
import { patientOfResources, patientOfSearch } from '../pixm/patients';
import { mhdRequest, routeParam } from './services';

/** Parameters of the HTTP layer, not of the search. */
const HTTP_PARAMETERS = new Set(['_format']);

export function strictHandling(ctx: Koa.Context): boolean {
  const handling = /(?:^|[,;\s])handling\s*=\s*"?(strict|lenient)"?/i.exec(ctx.get('Prefer'))?.[1];
  return handling?.toLowerCase() === 'strict';
}

function urlParameters(ctx: Koa.Context): Array<[string, string]> {
  return [...new URLSearchParams(ctx.querystring)];
}

/** The search parameters of a GET, or of a POST _search (URL and form), without the HTTP layer's. */
export async function sentParameters(ctx: Koa.Context, withForm: boolean): Promise<Array<[string, string]>> {
  const sent = withForm ? [...urlParameters(ctx), ...(await readForm(ctx, BODY_LIMITS.searchForm))] : urlParameters(ctx);
  return sent.filter(([name]) => !HTTP_PARAMETERS.has(name));
}

function searchHandler(resourceType: SearchResourceType, withForm: boolean): AuditedHandler {
  return async (ctx, services, audit) => {
    const req = mhdRequest(ctx, services);
    const params = await sentParameters(ctx, withForm);
    audit.note({ query: { text: new URLSearchParams(params).toString() } });
    const selfUrl = `${req.base}/${resourceType}${params.length > 0 ? `?${new URLSearchParams(params).toString()}` : ''}`;
    // The registry records the search, with the patient it is about, before the Bundle is answered.
    const bundle = (await services.registry.recordedRead(
      audit,
      () => searchResources({ resourceType, params, strict: strictHandling(ctx), selfUrl }, { registry: services.registry, mapping: req.mapping }, req.principal),
      (b) => patientOfSearch(params, req.mapping) ?? patientOfResources(b.entry.map((e) => e.resource as Record<string, unknown>), req.mapping),
    ))!;
    sendResource(ctx, 200, bundle);
  };
}

function readHandler(resourceType: SearchResourceType): AuditedHandler {
  return async (ctx, services, audit) => {
    const req = mhdRequest(ctx, services);
    const id = routeParam(ctx, 'id');
    // A read by id is audited as BALP's read of this resource, not as the transaction's search.
    audit.note({ interaction: 'read', resource: `${resourceType}/${id}` });
    const resource = await services.registry.recordedRead(
      audit,
      async () => (await readResource(resourceType, id, { registry: services.registry, mapping: req.mapping }, req.principal)) ?? undefined,
      (r) => patientOfResources([r as Record<string, unknown>], req.mapping),
    );
    if (!resource) throw FhirHttpError.of(404, 'not-found', `${resourceType}/${id} is not known`);
    sendResource(ctx, 200, resource);
  };
}

export const searchHandlers = (resourceType: SearchResourceType) => ({
  search: searchHandler(resourceType, false),
  searchByPost: searchHandler(resourceType, true),
  read: readHandler(resourceType),
});
