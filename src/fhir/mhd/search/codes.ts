/**
 * Token values of coded parameters -> the codes a registry query matches, the system URI
 * turned into the coding-scheme OID through the mapping's terminology. A code without a
 * system (`code` or `|code`) matches that code in any scheme: every XDS code has a scheme,
 * so reading `|code` literally ("no system") would never match anything. A system with no
 * OID can be the system of no registered code: the value matches nothing, which the
 * Bundle reports as a warning.
 */
import type { CodeMatch } from '../../../domain/stored-queries';
import type { Terminology } from '../mapping';
import { groupsOf, singleGroup, type ParsedSearch } from './query-params';
import { notSupported, warning, type SearchIssue } from './search-error';
import { parseToken } from './values';

function codeMatches(values: readonly string[], parameter: string, terminology: Terminology, warnings: SearchIssue[]): CodeMatch[] {
  return values.flatMap((escaped) => {
    const { system, code } = parseToken(escaped);
    if (code === '') throw notSupported(parameter, `"${system}|" (any code of a system) is not supported: XDS code parameters match whole codes`);
    if (!system) return [{ code }];
    const scheme = terminology.codeSystemOid(system);
    if (!scheme) {
      warnings.push(warning(parameter, `code system ${system} has no OID in the terminology table and is not urn:oid:, so ${system}|${code} matches nothing`));
      return [];
    }
    return [{ code, scheme }];
  });
}

/**
 * A coded parameter as AND groups of OR-ed codes; undefined when absent.
 * `andOr`: whether the query criterion takes AND groups (event codes, confidentiality codes,
 * folder codes); otherwise a repeated parameter is refused.
 */
export function codeGroups(search: ParsedSearch, parameter: string, andOr: boolean, terminology: Terminology, warnings: SearchIssue[]): CodeMatch[][] | undefined {
  const single = andOr ? undefined : singleGroup(search, parameter);
  const groups = andOr ? groupsOf(search, parameter).map((g) => g.values) : single ? [single] : [];
  return groups.length ? groups.map((values) => codeMatches(values, parameter, terminology, warnings)) : undefined;
}
