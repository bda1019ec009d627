/**
 * author.given / author.family (ITI-67) and source.given / source.family (ITI-66) -> the
 * LIKE patterns of $XDSDocumentEntryAuthorPerson / $XDSSubmissionSetAuthorPerson over the
 * author's XCN (`id^family^given^…`). FHIR string search matches the start of a name, so
 * each name part ends in `%`; the family name follows the first `^`, the given name the
 * second: family only `%^Nov%`, given only `%^%^Ja%`, both `%^Nov%^Ja%`.
 *
 * LIKE cannot pin a component exactly (its `%` also spans `^`), so a pattern may match a
 * later component with the same start (e.g. a given name searched as family). The
 * registry compares case-sensitively and treats `%` and `_` in a name as wildcards.
 */
import { singleGroup, type ParsedSearch } from './query-params';
import { unescapeValue } from './values';

function pattern(family: string | undefined, given: string | undefined): string {
  if (family !== undefined && given !== undefined) return `%^${family}%^${given}%`;
  if (family !== undefined) return `%^${family}%`;
  return `%^%^${given}%`;
}

/** OR-ed patterns for every combination of the OR-ed names; undefined when neither parameter is given. */
export function authorPatterns(search: ParsedSearch, givenParam: string, familyParam: string): string[] | undefined {
  const given = singleGroup(search, givenParam)?.map(unescapeValue);
  const family = singleGroup(search, familyParam)?.map(unescapeValue);
  if (!given && !family) return undefined;
  return (family ?? [undefined]).flatMap((f) => (given ?? [undefined]).map((g) => pattern(f, g)));
}
