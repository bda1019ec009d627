import type { Code } from './metadata';

/**
 * The `code^^^scheme` key a coded value is stored and queried by inside the registry. (On the
 * ITI-18 wire a code is a CE, `code^^scheme`; the XDS front end reads it, xds/coded-values.ts.)
 */
export function codeKey(c: Code): string {
  return `${c.code}^^^${c.scheme}`;
}
