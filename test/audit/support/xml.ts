// Strict XML parsing for the audit tests: any error throws (warnings, such as a U+FFFD
// standing in for a character XML can't carry, do not).
import { DOMParser, type Element } from '@xmldom/xmldom';

export function parseXml(text: string): Element {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, 'application/xml');
  const root = doc.documentElement;
  if (!root) throw new Error('no document element');
  return root;
}

export function children(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (name === undefined || (n as Element).nodeName === name)) out.push(n as Element);
  }
  return out;
}

export function attrs(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    out[a.name] = a.value;
  }
  return out;
}
