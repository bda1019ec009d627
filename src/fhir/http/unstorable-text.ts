/**
 * Text the store cannot keep: U+0000 (PostgreSQL's text and jsonb refuse it, so it used to
 * surface as a 500) and unpaired UTF-16 surrogates (no Unicode character; UTF-8 cannot encode
 * them, so the driver would quietly store U+FFFD instead of what was sent). Both are refused
 * as the client's mistake, naming where they were.
 */
import { FhirHttpError } from './http-error';

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isUnstorable(text: string): boolean {
  return UNSTORABLE.test(text);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * FHIRPath of the first string (or object key) in `value` that isUnstorable, `root` being the
 * path of `value` itself (e.g. `Bundle`); undefined when there is none. Iterative: the value may
 * be as deep as the input limits allow.
 */
export function unstorableTextPath(value: unknown, root: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (isUnstorable(node)) return path;
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}[${i}]`]);
    } else if (node && typeof node === 'object') {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = `${path}.${NAME.test(key) ? key : `\`${key.replace(/[\0\uD800-\uDFFF`]/g, '?')}\``}`;
        if (isUnstorable(key)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}

/** 400 for text that cannot be stored, in `where`; `expression` a FHIRPath, or a search parameter's name. */
export function unstorableTextError(where: string, expression?: string): FhirHttpError {
  return FhirHttpError.of(400, 'value', `${where} contains U+0000 or an unpaired UTF-16 surrogate, which this server cannot store (and FHIR strings do not allow)`, expression);
}

const visible = (text: string): string => text.replace(/[\0\uD800-\uDFFF]/g, '?');

/** Throws unstorableTextError naming the first name or value that cannot be stored (search parameters, form fields). */
export function refuseUnstorableParameters(params: ReadonlyArray<readonly [string, string]>): void {
  for (const [name, value] of params) {
    if (isUnstorable(name) || isUnstorable(value)) throw unstorableTextError(`search parameter ${visible(name)}`, visible(name));
  }
}

/**
 * The same for a request URL: its query parameters, and its path (ids of reads). Percent-encoding
 * is the only way either gets there (HTTP refuses raw control characters), so a URL without `%`
 * costs one search. Query values decode as URLSearchParams does (invalid UTF-8 becomes U+FFFD).
 */
export function refuseUnstorableUrl(url: { path: string; querystring: string }): void {
  if (url.querystring.includes('%')) refuseUnstorableParameters([...new URLSearchParams(url.querystring)]);
  if (!url.path.includes('%')) return;
  let path: string;
  try {
    path = decodeURIComponent(url.path);
  } catch {
    throw FhirHttpError.of(400, 'value', 'the request path is not valid percent-encoded UTF-8');
  }
  if (isUnstorable(path)) throw unstorableTextError(`the request path ${visible(path)}`);
}
