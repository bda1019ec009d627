/**
 * Runs a Registry Stored Query (ITI-18 / ITI-51, or MHD's typed query) for either front end:
 * the query is checked here (typed, or ITI-18 parameters), then the store's query engine
 * answers it within the registry's limits.
 */
import { toStoredQuery, type RegistryQuery } from '../domain/registry-query';
import type { RegistrySession, StoredQueryOptions, StoredQueryResult } from './ports';

export type { StoredQueryResult };

export async function runStoredQuery(session: RegistrySession, request: RegistryQuery, options: StoredQueryOptions): Promise<StoredQueryResult> {
  return session.runQuery(toStoredQuery(request), options, request.homeCommunityId);
}
