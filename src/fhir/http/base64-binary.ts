/**
 * Is a string FHIR base64Binary text? The base64 alphabet (RFC 4648 section 4), whitespace
 * anywhere (FHIR R4 gives base64Binary the expression `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`, and
 * senders wrap lines at 76 characters with CRLF as MIME does), and at most two `=` at the end.
 * As before, a sender may leave out the padding.
 *
 * A 64 MiB document's text is ~90 M characters, so the check is linear and works a few MiB at a
 * time (issue 11): whitespace is cut out of each piece (one native replace, only when the piece
 * has any), and the rest is confirmed by decoding it in native code, since Node's decoder skips
 * characters outside the alphabet: clean text decodes to exactly three quarters of its length.
 * Node also decodes the URL-safe `-` and `_`, which FHIR does not allow, so those are looked for.
 */

/** A multiple of 4, so every piece but the last decodes to exactly three quarters of its length. */
const PIECE = 4 * 1024 * 1024;

const WHITESPACE = /[\t\n\r ]/;
const WHITESPACES = /[\t\n\r ]+/g;
const ALPHABET_ONLY = /^[A-Za-z0-9+/]*$/;

/** `piece` without its whitespace (the same string when it has none). */
export function withoutBase64Whitespace(piece: string): string {
  return WHITESPACE.test(piece) ? piece.replace(WHITESPACES, '') : piece;
}

/** Whether `compact` (no whitespace, no `=`, a multiple of 4 long) holds only the alphabet. */
function decodesWhole(compact: string): boolean {
  if (compact.includes('-') || compact.includes('_')) return false;
  return Buffer.from(compact, 'base64').length === (compact.length / 4) * 3;
}

/**
 * Unbroken base64 (what clients send: no whitespace, padded, padding only at the text's end) in
 * one native pass: it decodes to exactly three quarters of its length, less the padding, when
 * nothing in it is outside the alphabet. Anything else takes the general path.
 */
function unbroken(piece: string, padding: number, last: boolean): boolean {
  if (piece.length % 4 !== 0) return false;
  const marks = padding === -1 ? 0 : piece.length - padding;
  if (marks > 2 || (marks > 0 && (!last || !piece.endsWith('=')))) return false;
  if (piece.includes('-') || piece.includes('_')) return false;
  return Buffer.from(piece, 'base64').length === (piece.length / 4) * 3 - marks;
}

/** Pauses after each piece (a few ms of work), so a caller may let other work run between them. */
export function* base64BinarySteps(text: string): Generator<void, boolean, void> {
  // Characters before the padding, carried over to the next piece until they make a multiple of 4.
  let carry = '';
  for (let start = 0; start < text.length; start += PIECE) {
    if (start > 0) yield;
    const piece = text.slice(start, start + PIECE);
    const padding = piece.indexOf('=');
    const last = start + PIECE >= text.length;
    if (carry === '' && unbroken(piece, padding, last)) {
      if (last) return true;
      continue;
    }
    const all = carry + withoutBase64Whitespace(padding === -1 ? piece : piece.slice(0, padding));
    const whole = all.length - (all.length % 4);
    if (!decodesWhole(all.slice(0, whole))) return false;
    carry = all.slice(whole);
    // The first `=` ends the data: one more `=` at most, then nothing but whitespace.
    if (padding !== -1) return ALPHABET_ONLY.test(carry) && (yield* onlyWhitespaceFrom(text, start + padding + (text.startsWith('==', start + padding) ? 2 : 1)));
  }
  return ALPHABET_ONLY.test(carry);
}

function* onlyWhitespaceFrom(text: string, from: number): Generator<void, boolean, void> {
  for (let start = from; start < text.length; start += PIECE) {
    if (start > from) yield;
    if (withoutBase64Whitespace(text.slice(start, start + PIECE)) !== '') return false;
  }
  return true;
}

export function isBase64Binary(text: string): boolean {
  for (const steps = base64BinarySteps(text); ; ) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
