/**
 * Reads the raw search parameters of one request against the parameter table: known
 * parameters are grouped by name (each occurrence an AND group of OR-ed values), paging
 * parameters set aside, and unknown ones refused (handling=strict) or ignored with a
 * warning (lenient), as FHIR R4 search prescribes.
 */
import { searchParameter, type SearchResourceType } from './parameters';
import { SearchParameterError, notSupported, unknownParameterIssue, type SearchIssue } from './search-error';
import { splitOr } from './values';

/** One occurrence of a parameter: its OR-ed values (still escaped) and modifier. */
export interface ParamGroup {
  values: string[];
  modifier?: string;
}

export interface ParsedSearch {
  resourceType: SearchResourceType;
  /** Parameter name (without modifier) -> its occurrences, AND-ed. */
  groups: ReadonlyMap<string, ParamGroup[]>;
  count?: string;
  offset?: string;
  /** The parameters the search used, to repeat in the paging links (ignored ones are left out). */
  linkParams: Array<[string, string]>;
  /** Ignored unknown parameters (lenient handling). */
  warnings: SearchIssue[];
}

/** Handled by the route (response format), carried into the links unchanged. */
const FORMAT_PARAMS = new Set(['_format', '_pretty']);

export function parseSearchParams(resourceType: SearchResourceType, params: ReadonlyArray<[string, string]>, strict: boolean): ParsedSearch {
  const groups = new Map<string, ParamGroup[]>();
  const linkParams: Array<[string, string]> = [];
  const unknown: string[] = [];
  let count: string | undefined;
  let offset: string | undefined;

  for (const [rawName, value] of params) {
    const colon = rawName.indexOf(':');
    const name = colon < 0 ? rawName : rawName.slice(0, colon);
    const modifier = colon < 0 ? undefined : rawName.slice(colon + 1);
    if (name === '_count' && modifier === undefined) count = value;
    else if (name === '_offset' && modifier === undefined) offset = value;
    else if (FORMAT_PARAMS.has(name)) linkParams.push([rawName, value]);
    else {
      const definition = searchParameter(resourceType, name);
      if (!definition) {
        unknown.push(rawName);
        continue;
      }
      // An ignored modifier would change the meaning of the search (e.g. :not), so it is always refused.
      if (modifier !== undefined && !definition.modifiers?.includes(modifier)) throw notSupported(rawName, `the modifier :${modifier} is not supported`);
      const values = splitOr(value);
      // FHIR: a parameter without a value is ignored.
      if (values.length === 0) continue;
      linkParams.push([rawName, value]);
      groups.set(name, [...(groups.get(name) ?? []), { values, ...(modifier !== undefined ? { modifier } : {}) }]);
    }
  }
  if (strict && unknown.length > 0) throw new SearchParameterError(unknown.map((p) => unknownParameterIssue(p, 'error')));
  return {
    resourceType,
    groups,
    ...(count !== undefined ? { count } : {}),
    ...(offset !== undefined ? { offset } : {}),
    linkParams,
    warnings: unknown.map((p) => unknownParameterIssue(p, 'warning')),
  };
}

export function groupsOf(search: ParsedSearch, name: string): ParamGroup[] {
  return search.groups.get(name) ?? [];
}

/**
 * The values of a parameter whose XDS counterpart takes one list of OR-ed values: a
 * repeated parameter (AND) has no XDS form there.
 */
export function singleGroup(search: ParsedSearch, name: string): string[] | undefined {
  const groups = groupsOf(search, name);
  if (groups.length > 1) {
    throw notSupported(name, 'cannot be repeated (AND): its XDS query parameter takes one list of OR-ed values; give the values comma-separated');
  }
  return groups[0]?.values;
}
