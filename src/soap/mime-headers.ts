/**
 * MIME header syntax the SOAP layer needs: media types with parameters (RFC 2045 5.1, quoted
 * strings with backslash escapes), part header blocks (RFC 5322 2.2 with folding), Content-ID
 * and cid: URLs (RFC 2392), and formatting values for headers we write without letting a value
 * inject CR/LF.
 */
import { MtomError } from './mtom-error';

export interface MediaType {
  /** Lower-case `type/subtype`. */
  essence: string;
  /** Parameter names lower-cased; values unquoted, case preserved. */
  params: ReadonlyMap<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const SPACE = /[ \t]*/y;

function skip(re: RegExp, s: string, at: number): number {
  re.lastIndex = at;
  re.exec(s);
  return re.lastIndex;
}

function token(s: string, at: number): string | undefined {
  TOKEN.lastIndex = at;
  const m = TOKEN.exec(s);
  return m ? m[0] : undefined;
}

/** A quoted-string starting at `at` (the opening quote); returns [value, index after the closing quote]. */
function quoted(s: string, at: number): [string, number] | undefined {
  let out = '';
  for (let k = at + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '"') return [out, k + 1];
    if (c === '\\') {
      k++;
      if (k >= s.length) return undefined;
      out += s[k];
    } else out += c;
  }
  return undefined;
}

/**
 * Parses `type/subtype; name=value; name="quoted; value"`. Lenient where real senders are sloppy
 * (spaces around `=` and `;`, a trailing `;`), strict where ambiguity could be abused: a
 * parameter given twice is an error.
 */
export function parseMediaType(value: string): MediaType {
  const bad = (why: string): MtomError => new MtomError('BAD_CONTENT_TYPE', `bad Content-Type "${value.slice(0, 200)}": ${why}`);
  let at = skip(SPACE, value, 0);
  const type = token(value, at);
  if (!type) throw bad('no media type');
  at += type.length;
  if (value[at] !== '/') throw bad('no subtype');
  const subtype = token(value, at + 1);
  if (!subtype) throw bad('no subtype');
  at = skip(SPACE, value, at + 1 + subtype.length);
  const params = new Map<string, string>();
  while (at < value.length) {
    if (value[at] !== ';') throw bad(`unexpected "${value[at]}"`);
    at = skip(SPACE, value, at + 1);
    if (at >= value.length) break;
    const name = token(value, at);
    if (!name) throw bad('bad parameter name');
    at = skip(SPACE, value, at + name.length);
    if (value[at] !== '=') throw bad(`parameter ${name} has no value`);
    at = skip(SPACE, value, at + 1);
    let v: string | undefined;
    if (value[at] === '"') {
      const q = quoted(value, at);
      if (!q) throw bad(`unterminated quoted value of ${name}`);
      [v, at] = q;
    } else {
      v = token(value, at);
      if (v === undefined) throw bad(`parameter ${name} has no value`);
      at += v.length;
    }
    const key = name.toLowerCase();
    if (params.has(key)) throw bad(`parameter ${name} given twice`);
    params.set(key, v);
    at = skip(SPACE, value, at);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), params };
}

/** Printable ASCII only: what we put in a header must not be able to end it. */
const HEADER_SAFE = /^[\x20-\x7E]*$/;
const TOKEN_EXACT = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function quoteIfNeeded(v: string): string {
  return TOKEN_EXACT.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

/** `essence; a=b; c="d e"`; throws TypeError for a name that is not a token or a value that is not printable ASCII. */
export function formatMediaType(essence: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const [type, subtype, ...more] = essence.split('/');
  if (!type || !subtype || more.length > 0 || !TOKEN_EXACT.test(type) || !TOKEN_EXACT.test(subtype)) throw new TypeError(`bad media type ${JSON.stringify(essence)}`);
  const parts = [essence];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (!TOKEN_EXACT.test(k) || !HEADER_SAFE.test(v)) throw new TypeError(`unsafe media type parameter ${JSON.stringify(k)}`);
    parts.push(`${k}=${quoteIfNeeded(v)}`);
  }
  return parts.join('; ');
}

/** A media type we may write into a MIME header: printable ASCII that parses. Throws TypeError otherwise. */
export function assertHeaderSafeMediaType(value: string): void {
  if (value === '' || !HEADER_SAFE.test(value)) throw new TypeError(`unsafe Content-Type ${JSON.stringify(value)}`);
  try {
    parseMediaType(value);
  } catch {
    throw new TypeError(`bad Content-Type ${JSON.stringify(value)}`);
  }
}

/**
 * A part's header block (the bytes between the boundary line and the empty line, without the
 * latter). Lines end in CRLF or bare LF; folded lines are unfolded. Names are lower-cased.
 * Content-Type, Content-ID and Content-Transfer-Encoding given twice are refused (which one
 * would win differs between implementations, a classic smuggling vector); other repeats keep
 * the first.
 */
export function parseHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const lines = block.split(/\r?\n/);
  const unfolded: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && unfolded.length > 0) unfolded[unfolded.length - 1] += ` ${line.trim()}`;
    else unfolded.push(line);
  }
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (!TOKEN_EXACT.test(name)) throw new MtomError('MALFORMED_MULTIPART', `bad part header line "${line.slice(0, 100)}"`);
    const value = line.slice(colon + 1).trim();
    if (headers.has(name)) {
      if (name === 'content-type' || name === 'content-id' || name === 'content-transfer-encoding') throw new MtomError('MALFORMED_MULTIPART', `part header ${name} given twice`);
      continue;
    }
    headers.set(name, value);
  }
  return headers;
}

/** Content-ID value without its angle brackets (RFC 2045 7: `<addr-spec>`; some senders omit them). */
export function normalizeContentId(value: string): string {
  const v = value.trim();
  return v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1).trim() : v;
}

/** The Content-ID a `cid:` URL names (RFC 2392: percent-decoded); undefined for other URLs. */
export function contentIdFromCidUrl(href: string): string | undefined {
  const h = href.trim();
  if (!/^cid:/i.test(h)) return undefined;
  try {
    return decodeURIComponent(h.slice(4));
  } catch {
    return undefined;
  }
}

/** `cid:` URL for a Content-ID: every character outside RFC 3986 unreserved and `@` percent-encoded. */
export function cidUrl(contentId: string): string {
  return `cid:${encodeURIComponent(contentId).replace(/%40/g, '@')}`;
}

/** A Content-ID we can put in a header between angle brackets: printable ASCII, no brackets, no spaces. */
export function assertHeaderSafeContentId(contentId: string): void {
  if (!/^[\x21-\x7E]+$/.test(contentId) || /[<>]/.test(contentId)) throw new TypeError(`unsafe Content-ID ${JSON.stringify(contentId)}`);
}
