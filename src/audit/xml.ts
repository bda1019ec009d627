/** Just enough XML writing for the DICOM audit message: escaped attributes and text, no DOM. */

// Characters XML 1.0 can't carry at all (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/F).
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Anything escapeXml would change; most values (codes, OIDs, ids) have none of it.
const SPECIAL = /[&<>"\t\n\r\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

function escapeXml(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value
    .replace(INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Attribute values normalise whitespace on parsing; escape it so it survives.
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export type Attributes = Record<string, string | number | boolean | undefined>;

/** `<name a="…">children</name>`, or self-closed without children; undefined attributes are left out. */
export function element(name: string, attributes: Attributes = {}, children: readonly string[] = []): string {
  // Plain loops and concatenation: this runs ~25 times per audit message, thousands of messages a second.
  let out = `<${name}`;
  for (const key in attributes) {
    const v = attributes[key];
    if (v !== undefined) out += ` ${key}="${escapeXml(String(v))}"`;
  }
  if (children.length === 0) return `${out}/>`;
  out += '>';
  for (const c of children) out += c;
  return `${out}</${name}>`;
}

export function textElement(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}
