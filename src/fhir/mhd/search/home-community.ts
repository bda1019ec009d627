/**
 * The Czech `hcid` parameter: the communities whose documents are searched.
 * - absent: this community, or every community of the directory with MHD_DEFAULT_COMMUNITIES=all;
 * - naming this community: the local registry; naming others: they are asked through the
 *   community fan-out (XCA or their MHD server) and their answers merged (across-communities.ts);
 * - an OR list mixing known and unknown communities searches the known ones and names the
 *   others in a warning; naming only communities the directory does not know is a 400: the
 *   search cannot be carried out at all (FHIR answers a search with a Bundle or 4xx, never 404).
 * Without a community directory (the search module used on its own) another community is
 * refused with `not-supported`, as answering from the local registry would present this
 * community's documents as theirs.
 */
import { groupsOf, type ParsedSearch } from './query-params';
import { invalidValue, notSupported, warning, type SearchIssue } from './search-error';
import { oidOfToken, unescapeValue } from './values';

/** What of the community directory routing needs. */
export interface KnownCommunities {
  has(homeCommunityId: string): boolean;
  /** Every community of the directory. */
  all(): string[];
  /** MHD_DEFAULT_COMMUNITIES: who a search without hcid asks. */
  defaultCommunities: 'local' | 'all';
}

export interface CommunityRouting {
  /** Search the local registry. */
  local: boolean;
  /** Other communities to ask (known or not: unknown ones come back as warnings). */
  remote: string[];
  issues: SearchIssue[];
}

function homeCommunityOf(escaped: string): string {
  const oid = oidOfToken(escaped);
  if (!oid) throw invalidValue('hcid', `"${unescapeValue(escaped)}" is not a homeCommunityId (urn:oid:<OID>)`);
  return `urn:oid:${oid}`;
}

/** The communities named by every hcid occurrence (AND of OR lists); undefined when hcid is absent. */
function namedCommunities(search: ParsedSearch): string[] | undefined {
  const groups = groupsOf(search, 'hcid').map((g) => new Set(g.values.map(homeCommunityOf)));
  if (groups.length === 0) return undefined;
  return [...groups[0]!].filter((c) => groups.every((g) => g.has(c)));
}

export function routeByHomeCommunity(search: ParsedSearch, local: string, known?: KnownCommunities): CommunityRouting {
  const named = namedCommunities(search);
  if (named === undefined) {
    return { local: true, remote: known?.defaultCommunities === 'all' ? known.all().filter((c) => c !== local) : [], issues: [] };
  }
  const others = named.filter((c) => c !== local);
  const includesLocal = named.includes(local);
  if (!known) {
    if (!includesLocal) throw notSupported('hcid', `searching other communities (${named.join(', ')}) needs a community directory; this gateway answers for ${local} only`);
    return { local: true, remote: [], issues: others.length ? [warning('hcid', `communities ${others.join(', ')} were not searched (no community directory)`, 'incomplete')] : [] };
  }
  if (!includesLocal && others.length > 0 && others.every((c) => !known.has(c))) {
    throw invalidValue('hcid', `${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} not in this gateway's community directory`);
  }
  return { local: includesLocal, remote: others, issues: [] };
}
