/**
 * What a search becomes before it touches the registry, and running it for one page:
 * - `find`: ITI-18 Find queries (one, or two for a List search over both kinds), paged in
 *   the registry, whose total is the registry's count;
 * - `ids`: objects named by identifier, few by nature, loaded whole and filtered here by
 *   the few parameters allowed beside an identifier, then paged;
 * - `none`: the parameters contradict each other, nothing can match.
 */
import type { RegistryObject } from '../../../domain/metadata';
import type { StoredQuery, TimeRange } from '../../../domain/stored-queries';
import type { Page, PageResult, RegistryReader } from './registry-reads';
import type { SearchIssue } from './search-error';

export type SearchPlan = { warnings: SearchIssue[] } & (
  | { kind: 'none' }
  | { kind: 'find'; requests: StoredQuery[] }
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

/** The fields of filter F holding lists of V. */
type ListKeys<F, V> = { [K in keyof F]-?: NonNullable<F[K]> extends V[] ? K : never }[keyof F];

/**
 * Collects the criteria of one Find query as a typed filter (DocumentFilter, FolderFilter,
 * SubmissionSetFilter). A criterion whose values all dropped out (an unknown code system, a
 * status no object has) makes the query unable to match.
 */
export class FilterDraft<F> {
  readonly filter: Partial<F> = {};
  matchesNothing = false;

  private put(key: keyof F, value: unknown): void {
    (this.filter as Record<keyof F, unknown>)[key] = value;
  }

  /** One OR list. */
  anyOf<V>(key: ListKeys<F, V>, values: V[] | undefined): void {
    if (values === undefined) return;
    if (values.length === 0) this.matchesNothing = true;
    else this.put(key, values);
  }

  /** AND groups of OR-ed values; an empty group can never be satisfied. */
  allOf<V>(key: ListKeys<F, V[]>, groups: V[][] | undefined): void {
    if (groups === undefined) return;
    if (groups.some((g) => g.length === 0)) this.matchesNothing = true;
    else this.put(key, groups);
  }

  /** A time range; a bound left out is no constraint. */
  within(key: { [K in keyof F]-?: NonNullable<F[K]> extends TimeRange ? K : never }[keyof F], bounds: TimeRange): void {
    const range: TimeRange = { ...(bounds.from !== undefined ? { from: bounds.from } : {}), ...(bounds.to !== undefined ? { to: bounds.to } : {}) };
    if (range.from !== undefined || range.to !== undefined) this.put(key, range);
  }
}
