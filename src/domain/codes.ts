import type { Code } from './metadata';

/**
 * The `code^^^scheme` key a coded value is stored and queried by inside the registry. (On the
 * ITI-18 wire a code is a CE, `code^^scheme`; the XDS front end rewrites it to this key.)
 */
export function codeKey(c: Code): string {
  return `${c.code}^^^${c.scheme}`;
}

/** Parses the registry key `code^^^scheme` (scheme optional). */
export function parseCodeKey(value: string): { code: string; scheme?: string } {
  const i = value.indexOf('^^^');
  if (i < 0) return { code: value };
  const scheme = value.slice(i + 3);
  return scheme ? { code: value.slice(0, i), scheme } : { code: value.slice(0, i) };
}
