/**
 * Runs a Registry Stored Query (ITI-18 / ITI-51) for either front end: the request is
 * validated here, then the store's query engine answers it within the registry's limits.
 */
import { validateStoredQuery, type StoredQueryRequest } from '../domain/stored-queries';
import type { RegistrySession, StoredQueryOptions, StoredQueryResult } from './ports';

export type { StoredQueryResult };

export async function runStoredQuery(session: RegistrySession, request: StoredQueryRequest, options: StoredQueryOptions): Promise<StoredQueryResult> {
  return session.runQuery(validateStoredQuery(request), options, request.homeCommunityId);
}
