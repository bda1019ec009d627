/**
 * The value syntax of ITI-18 stored-query parameters (ITI TF-2 3.18.4.1.2.3.5): each
 * rim:Value of a parameter Slot holds
 *   - a string in single quotes, a quote inside doubled:   'Nov''ák'
 *   - a number, unquoted (times, $MetadataLevel):           20261101
 *   - a list of those in parentheses, comma separated:     ('a', 'b')
 * All values of one Slot (its list items and its several rim:Value elements alike) are OR-ed;
 * a parameter given in several Slots is AND-ed across them, for the parameters that allow it.
 *
 * Anything else is refused with XDSRegistryError: the TF has no more specific code for a
 * malformed value (XDSStoredQueryParamNumber is about how many values there are, not their
 * form), and names XDSRegistryError for errors without one; codeContext names the parameter.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError } from '../domain/registry-error';

const NUMBER = /^-?\d+(?:\.\d+)?/;
const SPACE = /\s/;

function malformed(name: string, text: string, why: string): RegistryError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return RegistryError.of(XdsErrorCode.XDSRegistryError, `${name}: value ${shown} is malformed (${why}); strings must be in single quotes, lists in parentheses`, name);
}

/** A cursor over one rim:Value text. */
class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && SPACE.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

/** The quoted string or number at the cursor, which moves past it; `fail` when neither starts there. */
function readItem(s: Scanner, fail: (why: string) => RegistryError): string {
  if (s.peek() === "'") {
    let value = '';
    for (let i = s.pos + 1; i < s.text.length; i++) {
      const c = s.text[i]!;
      if (c !== "'") {
        value += c;
      } else if (s.text[i + 1] === "'") {
        value += "'";
        i++;
      } else {
        s.pos = i + 1;
        return value;
      }
    }
    throw fail('unterminated quoted string');
  }
  const number = NUMBER.exec(s.text.slice(s.pos));
  if (!number) throw fail(s.atEnd() ? 'a value is missing' : `unexpected "${s.peek()}" where a quoted string or a number belongs`);
  s.pos += number[0].length;
  return number[0];
}

/** The values one rim:Value text holds, in order. @throws RegistryError XDSRegistryError */
export function parseSlotValue(name: string, text: string): string[] {
  const s = new Scanner(text);
  const fail = (why: string) => malformed(name, text.trim(), why);
  s.skipSpace();
  const values: string[] = [];
  if (s.peek() === '(') {
    s.pos++;
    for (;;) {
      s.skipSpace();
      values.push(readItem(s, fail));
      s.skipSpace();
      const c = s.peek();
      s.pos++;
      if (c === ')') break;
      if (c !== ',') throw fail(c === undefined ? 'the list is not closed' : `expected "," or ")" but found "${c}"`);
    }
  } else {
    values.push(readItem(s, fail));
  }
  s.skipSpace();
  if (!s.atEnd()) throw fail(`unexpected "${s.peek()}" after the value`);
  return values;
}

/** One Slot's values (all rim:Value texts) as one OR-group. */
export function parseSlotValues(name: string, texts: readonly string[]): string[] {
  if (texts.length === 0) throw malformed(name, '(none)', 'the Slot has no rim:Value');
  return texts.flatMap((t) => parseSlotValue(name, t));
}
