/**
 * MHD Document Responder search logic: ITI-67 (DocumentReference) and ITI-66 (List)
 * searches and reads, translated onto the registry's stored queries. The HTTP routes
 * call this; the CapabilityStatement is derived from SEARCH_PARAMETERS.
 *
 *   const bundle = await searchResources({ resourceType: 'DocumentReference', params, strict, selfUrl }, { registry, mapping }, principal);
 *   const resource = await readResource('List', id, { registry, mapping }, principal); // undefined -> 404
 *
 * Errors: SearchParameterError (its issues -> HTTP 400 OperationOutcome) for unknown,
 * invalid or missing parameters; RegistryError for what the registry refuses.
 */
export { searchResources, type SearchRequest } from './search';
export { readResource } from './read';
export { SearchParameterError, type SearchIssue } from './search-error';
export { RESULT_PARAMETERS, SEARCH_PARAMETERS, searchParameter, type SearchParameterDefinition, type SearchParamType, type SearchResourceType } from './parameters';
export type { SearchDeps } from './context';
export type { SearchEntry, SearchsetBundle } from './bundle';
export type { BundleLink } from './paging';
export { DEFAULT_COUNT } from './paging';
