/**
 * Coded query parameters ($XDSDocumentEntryClassCode, ...ConfidentialityCode, $XDSFolderCodeList,
 * ...): on the ITI-18 wire a code is an HL7 v2 CE, `code^^codingScheme` (the display component
 * left empty), or a bare `code` matching it in any scheme. The registry keys codes its own way
 * (domain/codes.ts codeKey), so each value is rewritten into that form here. The `code^^^scheme`
 * spelling, which some senders use, is read as well.
 */
import { codeKey } from '../domain/codes';
import { querySpecById } from '../domain/stored-queries';

export function codeValueToKey(value: string): string {
  const [code = '', , ceScheme, fourth] = value.split('^');
  const scheme = ceScheme || fourth;
  return scheme ? codeKey({ code, scheme }) : code;
}

/** The parameters with every value of a code-valued parameter (per the query's parameter table) rewritten. */
export function withCodeKeys(queryId: string, params: Record<string, string[][]>): Record<string, string[][]> {
  const spec = querySpecById(queryId);
  if (!spec) return params;
  const coded = new Set(spec.params.filter((p) => p.kind === 'code').map((p) => p.name.toLowerCase()));
  return Object.fromEntries(Object.entries(params).map(([name, groups]) => [name, coded.has(name.toLowerCase()) ? groups.map((g) => g.map(codeValueToKey)) : groups]));
}
