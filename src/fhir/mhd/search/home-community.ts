/**
 * The Czech `hcid` parameter: the community whose documents are searched. Routing a search
 * to other communities comes with the cross-community work; until then:
 * - absent, or naming this community: the local registry is searched;
 * - an OR list that includes this community: the local registry is searched and a
 *   warning names the communities that were not (a partial answer, said so);
 * - naming only other communities: refused with `not-supported`, because answering from
 *   the local registry would present this community's documents as theirs.
 */
import { groupsOf, type ParsedSearch } from './query-params';
import { invalidValue, notSupported, warning, type SearchIssue } from './search-error';
import { oidOfToken, unescapeValue } from './values';

function homeCommunityOf(escaped: string): string {
  const oid = oidOfToken(escaped);
  if (!oid) throw invalidValue('hcid', `"${unescapeValue(escaped)}" is not a homeCommunityId (urn:oid:<OID>)`);
  return `urn:oid:${oid}`;
}

/** Checks the `hcid` parameter against this community; returns the warnings for communities not searched. */
export function checkHomeCommunity(search: ParsedSearch, local: string): SearchIssue[] {
  const others = new Set<string>();
  for (const group of groupsOf(search, 'hcid')) {
    const named = group.values.map(homeCommunityOf);
    if (!named.includes(local)) {
      throw notSupported('hcid', `searching other communities (${named.join(', ')}) is not supported yet; this gateway answers for ${local} only`);
    }
    for (const c of named) if (c !== local) others.add(c);
  }
  return others.size ? [warning('hcid', `communities ${[...others].join(', ')} were not searched (cross-community search is not supported yet)`, 'incomplete')] : [];
}
