/**
 * FHIR search value syntax (R4 search.html "Escaping Search Parameters"): `,` separates
 * OR-ed values, `|` separates a token's system from its code, and `\` escapes `,` `|` `$`
 * and itself. Values are split while still escaped and unescaped last, so an escaped
 * separator stays part of the value.
 */
import { isOid } from '../../../domain/hl7v2';
import { URI_SYSTEM } from '../mapping/canonicals';

/** Splits on `separator` where it is not escaped; the parts keep their escapes. */
function splitUnescaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      current += c + value[i + 1];
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

export function unescapeValue(value: string): string {
  return value.replace(/\\([\\,|$])/g, '$1');
}

/** The OR-ed values of one parameter occurrence, still escaped; empty ones are dropped. */
export function splitOr(value: string): string[] {
  return splitUnescaped(value, ',').filter((v) => v !== '');
}

/**
 * A token `[system]|code` or `code`. `system` is undefined without a `|` (any system) and
 * '' for `|code`.
 */
export interface Token {
  system?: string;
  code: string;
}

export function parseToken(escaped: string): Token {
  const [first, ...rest] = splitUnescaped(escaped, '|');
  if (rest.length === 0) return { code: unescapeValue(first!) };
  return { system: unescapeValue(first!), code: unescapeValue(rest.join('|')) };
}

/** The OID of a token naming one (`urn:oid:X`, `urn:ietf:rfc:3986|urn:oid:X` or a bare `X`): sourceId, hcid. */
export function oidOfToken(escaped: string): string | undefined {
  const { system, code } = parseToken(escaped);
  const oid = code.startsWith('urn:oid:') ? code.slice(8) : code;
  return (!system || system === URI_SYSTEM) && isOid(oid) ? oid : undefined;
}
