/**
 * Runs a Registry Stored Query (ITI-18 / ITI-51 from the XDS front end, MHD's searches) on the
 * typed query every front end builds: the query rules are checked here, then the store's query
 * engine answers it within the registry's limits.
 */
import { checkStoredQuery } from '../domain/registry-query';
import type { StoredQuery } from '../domain/stored-queries';
import type { RegistrySession, StoredQueryOptions, StoredQueryResult } from './ports';

export type { StoredQueryResult };

export async function runStoredQuery(session: RegistrySession, query: StoredQuery, options: StoredQueryOptions): Promise<StoredQueryResult> {
  return session.runQuery(checkStoredQuery(query), options, query.homeCommunityId);
}
