/**
 * Coded query parameters ($XDSDocumentEntryClassCode, ...ConfidentialityCode, $XDSFolderCodeList,
 * ...): on the ITI-18 wire a code is an HL7 v2 CE, `code^^codingScheme` (the display component
 * left empty). Each value is rewritten into the registry's key `code^^^scheme` here (codeKey),
 * which stored-query-request.ts reads into the typed query's code (parseCodeKey). The
 * `code^^^scheme` spelling, which some senders use, is read as well. A value without its coding
 * scheme (`code`, `code^^`) is refused rather than matched in any scheme: ITI-18 codes every code
 * parameter with its scheme, and a sender that leaves it out would otherwise get an answer to a
 * question it did not ask.
 */
import { codeKey } from '../domain/codes';
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError } from '../domain/registry-error';
import { querySpecById } from '../domain/stored-queries';

/** Reads the key `code^^^scheme` (scheme optional: parameter requests built in code may leave it out). */
export function parseCodeKey(value: string): { code: string; scheme?: string } {
  const i = value.indexOf('^^^');
  if (i < 0) return { code: value };
  const scheme = value.slice(i + 3);
  return scheme ? { code: value.slice(0, i), scheme } : { code: value.slice(0, i) };
}

/** `name` is the parameter, named in the error. */
export function codeValueToKey(value: string, name: string): string {
  const [code = '', , ceScheme, fourth] = value.split('^');
  const scheme = (ceScheme || fourth)?.trim();
  if (!code.trim() || !scheme) {
    throw RegistryError.of(XdsErrorCode.XDSRegistryError, `${name}: '${value}' is not a code with its coding scheme (code^^codingScheme)`, name);
  }
  return codeKey({ code, scheme });
}

/** The parameters with every value of a code-valued parameter (per the query's parameter table) rewritten. */
export function withCodeKeys(queryId: string, params: Record<string, string[][]>): Record<string, string[][]> {
  const spec = querySpecById(queryId);
  if (!spec) return params;
  const coded = new Set(spec.params.filter((p) => p.kind === 'code').map((p) => p.name.toLowerCase()));
  return Object.fromEntries(Object.entries(params).map(([name, groups]) => [name, coded.has(name.toLowerCase()) ? groups.map((g) => g.map((v) => codeValueToKey(v, name))) : groups]));
}
