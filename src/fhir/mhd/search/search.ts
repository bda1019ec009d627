/**
 * ITI-67 / ITI-66 search: parameters -> plan -> registry (one page) -> MHD resources ->
 * searchset Bundle. Throws SearchParameterError for the request's parameters and
 * RegistryError for what the registry refuses.
 */
import type { Principal } from '../../../domain/principal';
import { searchsetBundle, type SearchsetBundle } from './bundle';
import { searchContext, type SearchDeps } from './context';
import { documentSearchPlan } from './document-search';
import { searchAcrossCommunities } from './across-communities';
import { routeByHomeCommunity } from './home-community';
import { listSearchPlan } from './list-search';
import { pageLinks, readPage } from './paging';
import type { SearchResourceType } from './parameters';
import { runPlan } from './plan';
import { parseSearchParams } from './query-params';
import { RegistryReader } from './registry-reads';
import { toResources } from './resources';

export interface SearchRequest {
  resourceType: SearchResourceType;
  /** Decoded name/value pairs from the query string or the form body, in order. */
  params: Array<[string, string]>;
  /** Prefer: handling=strict (unknown parameters are an error) rather than lenient. */
  strict: boolean;
  /** The URL the search was made on; the Bundle's links and fullUrls are built on it. */
  selfUrl: string;
}

export async function searchResources(req: SearchRequest, deps: SearchDeps, principal: Principal): Promise<SearchsetBundle> {
  const search = parseSearchParams(req.resourceType, req.params, req.strict);
  const reader = new RegistryReader(deps.registry, principal);
  const page = readPage(search.count, search.offset, reader.maxResults);
  const ctx = searchContext(deps);
  const communities = deps.communities;
  const routing = routeByHomeCommunity(search, ctx.homeCommunityId, communities?.known);
  const plan = req.resourceType === 'DocumentReference' ? documentSearchPlan(search, ctx) : listSearchPlan(search, ctx);
  const across = communities && (routing.remote.length > 0 || !routing.local)
    ? await searchAcrossCommunities(plan, reader, page, routing, communities, principal, ctx.homeCommunityId)
    : undefined;
  if (across) communities?.onAsked?.(across.asked);
  const { objects, total, outgoing } = across ?? (await runPlan(plan, reader, page));
  const resources = await toResources(objects, reader, deps.mapping, outgoing);
  return searchsetBundle({
    base: deps.mapping.fhirBase,
    total,
    links: pageLinks(req.selfUrl, search.linkParams, page, total),
    resources,
    issues: [...search.warnings, ...routing.issues, ...plan.warnings, ...(across?.issues ?? [])],
    outcomes: across?.outcomes ?? [],
  });
}
