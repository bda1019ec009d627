/**
 * Paging: `_count` (default 20, at most the registry's queryMaxResults; FHIR lets a server
 * return fewer than asked) and `_offset`, a plain position in the result that the links
 * carry. Links repeat the parameters the search used on the search URL, so a POST
 * `_search` pages by GET as FHIR expects.
 */
import type { Page } from './registry-reads';
import { invalidValue } from './search-error';

export const DEFAULT_COUNT = 20;

function nonNegative(value: string | undefined, parameter: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw invalidValue(parameter, `"${value}" is not a non-negative integer`);
  return Number(value);
}

export function readPage(count: string | undefined, offset: string | undefined, maxResults: number): Page {
  return {
    count: Math.min(nonNegative(count, '_count') ?? DEFAULT_COUNT, maxResults),
    offset: nonNegative(offset, '_offset') ?? 0,
  };
}

export interface BundleLink {
  relation: 'self' | 'next' | 'previous';
  url: string;
}

/** The search URL without query; `.../_search` (POST) becomes the type's search URL. */
function searchUrl(selfUrl: string): string {
  const url = new URL(selfUrl);
  const path = url.pathname.replace(/\/_search\/?$/, '');
  return `${url.origin}${path}`;
}

export function pageLinks(selfUrl: string, params: ReadonlyArray<[string, string]>, page: Page, total: number): BundleLink[] {
  const base = searchUrl(selfUrl);
  const at = (offset: number) => {
    const query = new URLSearchParams([...params, ['_count', String(page.count)], ...(offset > 0 ? [['_offset', String(offset)] as [string, string]] : [])]);
    return `${base}?${query.toString()}`;
  };
  const links: BundleLink[] = [{ relation: 'self', url: at(page.offset) }];
  if (page.count > 0 && page.offset + page.count < total) links.push({ relation: 'next', url: at(page.offset + page.count) });
  if (page.count > 0 && page.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, page.offset - page.count)) });
  return links;
}

