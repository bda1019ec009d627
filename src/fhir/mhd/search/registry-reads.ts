/**
 * The searches' way into the registry: every read is a stored query through
 * Registry.query, so patient scoping, versions and the query rules stay in the core.
 */
import type { Principal } from '../../../domain/principal';
import type { Association, RegistryObject } from '../../../domain/metadata';
import { StoredQueryId, type ReturnType, type StoredQuery, type StoredQueryName, type StoredQueryOf } from '../../../domain/stored-queries';
import type { Registry } from '../../../registry/registry';

/** A query's criteria: everything but what registryQuery fills in. */
export type QueryCriteria<N extends StoredQueryName> = Omit<StoredQueryOf<N>, 'name' | 'queryId' | 'returnType' | 'metadataLevel'> & { metadataLevel?: 1 | 2 };

/** The typed registry query `name` with these criteria (the registry checks it against the query's rules). */
export function registryQuery<N extends StoredQueryName>(name: N, criteria: QueryCriteria<N>, returnType: ReturnType = 'LeafClass'): StoredQuery {
  return { name, queryId: StoredQueryId[name], returnType, metadataLevel: 1, ...criteria } as unknown as StoredQuery;
}

export interface Page {
  offset: number;
  count: number;
}

export interface PageResult {
  objects: RegistryObject[];
  total: number;
  outgoing?: Association[];
}

export class RegistryReader {
  constructor(
    private readonly registry: Registry,
    private readonly principal: Principal,
  ) {}

  /** The registry's largest result (queryMaxResults); also the largest page. */
  get maxResults(): number {
    return this.registry.options.profile.queryMaxResults;
  }

  /**
   * Everything a query matches, read in pages of maxResults, so a large answer (e.g. the
   * associations of a page of 1,000 documents) never fails with XDSTooManyResults.
   */
  async all(request: StoredQuery): Promise<{ objects: RegistryObject[]; refs: string[] }> {
    const objects: RegistryObject[] = [];
    const refs: string[] = [];
    for (;;) {
      const r = await this.registry.query(request, this.principal, { page: { offset: refs.length, count: this.maxResults } });
      objects.push(...r.objects);
      refs.push(...r.refs);
      if (r.refs.length === 0 || refs.length >= r.total) return { objects, refs };
    }
  }

  /**
   * One page of the concatenated results of several queries (a List search for both
   * SubmissionSets and Folders), paged in the registry; `total` counts every match.
   * `outgoing`: the associations whose source is a page object, when every query could read
   * them with its objects (otherwise undefined, and the caller asks for them).
   */
  async page(requests: readonly StoredQuery[], page: Page): Promise<PageResult> {
    const objects: RegistryObject[] = [];
    let outgoing: Association[] | undefined = [];
    let skip = page.offset;
    let wanted = page.count;
    let total = 0;
    for (const request of requests) {
      // A page of at least one row, so the registry counts the matches even for _count=0.
      const r = await this.registry.query(request, this.principal, { page: { offset: skip, count: Math.max(wanted, 1) }, outgoing: true });
      const taken = r.objects.slice(0, wanted);
      objects.push(...taken);
      if (r.outgoing && outgoing) {
        const kept = new Set(taken.map((o) => o.entryUuid));
        outgoing.push(...r.outgoing.filter((a) => kept.has(a.sourceId)));
      } else {
        outgoing = undefined;
      }
      wanted -= taken.length;
      total += r.total;
      skip = Math.max(0, skip - r.total);
    }
    return { objects, total, ...(outgoing ? { outgoing } : {}) };
  }
}
