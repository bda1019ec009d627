/**
 * Pre-scan of a FHIR JSON body, run before JSON.parse: one linear pass that enforces the
 * structural limits (nesting depth, objects + arrays, entries of the root `entry` array) as
 * soon as they are crossed, so a hostile body costs no more than reading it, and that notices
 * escapes PostgreSQL cannot store (`\u0000`) or that name no Unicode character (a lone
 * surrogate). JSON.parse itself builds any depth without complaint, and the code after it
 * (mapping, validation, serialisation) is recursive and linear in the entries: both only ever
 * see a body this scan let through.
 *
 * The scan does not validate JSON (JSON.parse does, right after); on text that is not JSON it
 * stops or miscounts harmlessly. Strings are skipped with indexOf, so a large base64 document
 * costs a memchr-speed search, not a character loop; backslashes are found with a remembered
 * indexOf, which keeps the pass linear however rare they are. Between strings (punctuation,
 * whitespace, numbers) a plain character loop is cheaper than a regular expression's match
 * objects: this pass costs about half a JSON.parse of the same body.
 */
import type { InputLimitHit } from './input-limits';
import type { FhirInputLimits } from './limits';

export interface JsonScanResult {
  /** A limit the body crosses (the scan stopped there). */
  exceeded?: InputLimitHit;
  /** The body has a `\u0000` or lone-surrogate escape in some string: find where with unstorableTextPath(). */
  unstorableEscape: boolean;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;

function hex4(s: string, at: number): number {
  const h = s.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(h) ? Number.parseInt(h, 16) : -1;
}

class JsonScanner {
  private depth = 0;
  private elements = 0;
  private entries = 0;
  /** Depth of the root `entry` array while the scan is inside it. */
  private entryArrayOpen = false;
  /** The last string at depth 1 was `"entry"` (a key, since a value cannot be followed by `[`). */
  private entryKey = false;
  private unstorable = false;
  /** Position of the next `\\u` at or after the scan (remembered: see escapes()). */
  private nextU = -2;

  constructor(private readonly s: string, private readonly limits: FhirInputLimits) {}

  run(): JsonScanResult {
    const s = this.s;
    for (let at = 0; at < s.length; at++) {
      const c = s.charCodeAt(at);
      if (c === QUOTE) {
        const end = this.stringEnd(at + 1);
        if (end === -1) break; // unterminated: JSON.parse reports it
        if (this.depth === 1) this.entryKey = end - at === 6 && s.startsWith('entry', at + 1);
        at = end;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        const exceeded = this.open(c);
        if (exceeded) return { exceeded, unstorableEscape: this.unstorable };
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 2 && this.entryArrayOpen) this.entryArrayOpen = false;
        this.depth--;
      }
    }
    return { unstorableEscape: this.unstorable };
  }

  private open(c: number): InputLimitHit | undefined {
    this.depth++;
    if (++this.elements > this.limits.maxElements) return { limit: 'maxElements', value: this.limits.maxElements };
    if (this.depth > this.limits.maxDepth) return { limit: 'maxDepth', value: this.limits.maxDepth };
    if (this.depth === 2 && c === OPEN_BRACKET && this.entryKey) this.entryArrayOpen = true;
    if (this.depth === 3 && this.entryArrayOpen && ++this.entries > this.limits.maxBundleEntries) return { limit: 'maxBundleEntries', value: this.limits.maxBundleEntries };
    return undefined;
  }

  /** Index of the quote closing the string whose content starts at `from`; -1 if none. */
  private stringEnd(from: number): number {
    const s = this.s;
    let at = from;
    for (;;) {
      const quote = s.indexOf('"', at);
      if (quote === -1) return -1;
      // A quote after an odd number of backslashes is escaped; each run is counted once.
      if (this.backslashesBefore(quote) % 2 === 0) {
        this.escapes(from, quote);
        return quote;
      }
      at = quote + 1;
    }
  }

  private backslashesBefore(at: number): number {
    let k = at - 1;
    while (this.s.charCodeAt(k) === 0x5c) k--;
    return at - 1 - k;
  }

  /**
   * Checks every \u escape between `from` and `end`. `\u` is rare in FHIR JSON (serialisers
   * write non-ASCII as UTF-8), and its next position is remembered, so this costs nothing on
   * ordinary strings and stays linear on strings full of escapes.
   */
  private escapes(from: number, end: number): void {
    const s = this.s;
    if (this.nextU !== -1 && this.nextU < from) this.nextU = s.indexOf('\\u', from);
    while (this.nextU !== -1 && this.nextU < end) {
      const at = this.nextU;
      // `\\u` is an escaped backslash and a letter u, not an escape.
      if (this.backslashesBefore(at) % 2 === 0) this.unicodeEscape(at);
      this.nextU = s.indexOf('\\u', at + 2);
    }
  }

  private unicodeEscape(at: number): void {
    const s = this.s;
    const cp = hex4(s, at + 2);
    if (cp === 0) this.unstorable = true;
    else if (cp >= 0xd800 && cp <= 0xdbff) {
      // A high surrogate must be followed by an escaped low one.
      const low = s.startsWith('\\u', at + 6) ? hex4(s, at + 8) : -1;
      if (!(low >= 0xdc00 && low <= 0xdfff)) this.unstorable = true;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      // A low surrogate is fine only right after a high one.
      const high = at >= 6 && s.startsWith('\\u', at - 6) && this.backslashesBefore(at - 6) % 2 === 0 ? hex4(s, at - 4) : -1;
      if (!(high >= 0xd800 && high <= 0xdbff)) this.unstorable = true;
    }
  }
}

/** Scans `text` (a JSON body) against `limits`; see the file comment. */
export function scanJson(text: string, limits: FhirInputLimits): JsonScanResult {
  return new JsonScanner(text, limits).run();
}
