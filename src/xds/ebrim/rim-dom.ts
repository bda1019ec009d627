/**
 * Reading the generic parts of ebRIM objects: attributes, Slots, Name/Description. Nothing here
 * knows about XDS; the readers that do call these.
 */
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed, simpleText } from '../../soap';
import { RIM_NS } from './constants';
import type { Problems } from './problems';

/** Slot name -> values, in document order. */
export type SlotMap = Map<string, string[]>;

/**
 * An attribute's value, trimmed; undefined when absent or blank. Blank and absent are the same
 * thing for every attribute XDS uses (ids, schemes, codes), so callers check one case.
 */
export function attribute(el: Element, name: string): string | undefined {
  const value = el.getAttribute(name);
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function rimChildren(parent: Element, local: string): Element[] {
  return childrenNamed(parent, RIM_NS, local);
}

/**
 * The Slots of `owner`. Values are trimmed: senders pretty-print Value elements, and no XDS
 * value (DTM, CX, XCN, OID, code) has meaningful whitespace at either end.
 */
export function readSlots(owner: Element, location: string, problems: Problems): SlotMap {
  const slots: SlotMap = new Map();
  for (const slot of rimChildren(owner, 'Slot')) {
    const name = attribute(slot, 'name');
    if (!name) {
      problems.error(location, `a Slot of ${location} has no name`);
      continue;
    }
    if (slots.has(name)) {
      // ebRIM 3.0 requires slot names to be unique within their object; merging would hide which one the sender meant.
      problems.error(location, `Slot ${name} appears more than once on ${location}`);
      continue;
    }
    const values: string[] = [];
    const valueList = childNamed(slot, RIM_NS, 'ValueList');
    for (const v of valueList ? rimChildren(valueList, 'Value') : []) {
      const content = simpleText(v);
      if (content === undefined) problems.error(location, `Slot ${name} of ${location} has a Value with element content`);
      else values.push(content.trim());
    }
    slots.set(name, values);
  }
  return slots;
}

/**
 * The first LocalizedString of rim:Name or rim:Description. XDS title and comments are single
 * strings; a sender giving several languages has the first one kept (ebRIM's document order).
 */
export function localizedText(owner: Element, local: 'Name' | 'Description'): string | undefined {
  const holder = childNamed(owner, RIM_NS, local);
  const first = holder ? rimChildren(holder, 'LocalizedString')[0] : undefined;
  const value = first?.getAttribute('value');
  return value ? value : undefined;
}
