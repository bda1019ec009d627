/**
 * What a search becomes before it touches the registry, and running it for one page:
 * - `find`: ITI-18 Find queries (one, or two for a List search over both kinds), paged in
 *   the registry, whose total is the registry's count;
 * - `ids`: objects named by identifier, few by nature, loaded whole and filtered here by
 *   the few parameters allowed beside an identifier, then paged;
 * - `none`: the parameters contradict each other, nothing can match.
 */
import type { RegistryObject } from '../../domain/metadata';
import type { StoredQueryRequest } from '../../domain/stored-queries';
import type { Page, PageResult, RegistryReader } from './registry-reads';
import type { SearchIssue } from './search-error';

export type SearchPlan = { warnings: SearchIssue[] } & (
  | { kind: 'none' }
  | { kind: 'find'; requests: StoredQueryRequest[] }
  | { kind: 'ids'; load: (reader: RegistryReader) => Promise<RegistryObject[]>; keep: (object: RegistryObject) => boolean }
);

export async function runPlan(plan: SearchPlan, reader: RegistryReader, page: Page): Promise<PageResult> {
  switch (plan.kind) {
    case 'none':
      return { objects: [], total: 0 };
    case 'find':
      return plan.requests.length ? reader.page(plan.requests, page) : { objects: [], total: 0 };
    case 'ids': {
      const found = (await plan.load(reader)).filter(plan.keep);
      return { objects: found.slice(page.offset, page.offset + page.count), total: found.length };
    }
  }
}

/**
 * Collects the ITI-18 parameters of one Find query. A parameter whose values all dropped
 * out (an unknown code system, a status no object has) makes the query unable to match.
 */
export class QueryDraft {
  readonly params: Record<string, string[][]> = {};
  matchesNothing = false;

  /** AND groups of OR-ed values; an empty group can never be satisfied. */
  set(name: string, groups: string[][] | undefined): void {
    if (groups === undefined) return;
    if (groups.some((g) => g.length === 0)) this.matchesNothing = true;
    else this.params[name] = groups;
  }

  /** One OR list. */
  setList(name: string, values: string[] | undefined): void {
    this.set(name, values === undefined ? undefined : [values]);
  }

  /** `<prefix>From` / `<prefix>To` from time bounds. */
  setTime(prefix: string, bounds: { from?: string; to?: string }): void {
    if (bounds.from !== undefined) this.setList(`${prefix}From`, [bounds.from]);
    if (bounds.to !== undefined) this.setList(`${prefix}To`, [bounds.to]);
  }
}
