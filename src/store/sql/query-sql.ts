/**
 * A small SQL fragment builder: values interpolated into `sql` templates always become
 * bind parameters ($1, $2, ...), never text, so no query value is ever concatenated into
 * SQL. Fragments nest; numbering happens once, when the statement is rendered.
 */

class Param {
  constructor(readonly value: unknown) {}
}

export class Sql {
  /** Use the `sql` tag or `raw`; the constructor is for the builder itself. */
  constructor(readonly parts: ReadonlyArray<string | Param>) {}
}

/** Tagged template: nested Sql fragments are inlined, every other value becomes a bind parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts: Array<string | Param> = [];
  strings.forEach((s, i) => {
    parts.push(s);
    if (i < values.length) {
      const v = values[i];
      if (v instanceof Sql) parts.push(...v.parts);
      else parts.push(new Param(v));
    }
  });
  return new Sql(parts);
}

/** Trusted SQL text: table and column names from this module's own constants, never input. */
export function raw(text: string): Sql {
  return new Sql([text]);
}

function join(fragments: readonly Sql[], separator: string): Sql {
  const parts: Array<string | Param> = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts.push(separator);
    parts.push(...f.parts);
  });
  return new Sql(parts);
}

/** AND of the fragments; TRUE when there are none. */
export function and(fragments: readonly Sql[]): Sql {
  return fragments.length === 0 ? raw('TRUE') : join(fragments.map((f) => sql`(${f})`), ' AND ');
}

export function or(fragments: readonly Sql[]): Sql {
  return fragments.length === 0 ? raw('FALSE') : join(fragments.map((f) => sql`(${f})`), ' OR ');
}

export function render(fragment: Sql): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = fragment.parts
    .map((p) => {
      if (typeof p === 'string') return p;
      values.push(p.value);
      return `$${values.length}`;
    })
    .join('');
  return { text, values };
}
