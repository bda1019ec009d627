/** HL7 v3 names XCPD (ITI TF-2b 3.55) uses, and small readers for its data types. */
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed, ownText } from '../../../soap';
import type { InstanceIdentifier } from './model';

export const HL7 = 'urn:hl7-org:v3';
/** HL7 v3 interaction ids and trigger events live in this code system. */
export const INTERACTION_CODE_SYSTEM = '2.16.840.1.113883.1.6';

export const XCPD_ACTION = {
  request: 'urn:hl7-org:v3:PRPA_IN201305UV02:CrossGatewayPatientDiscovery',
  response: 'urn:hl7-org:v3:PRPA_IN201306UV02:CrossGatewayPatientDiscovery',
} as const;

export function child(parent: Element | undefined, local: string): Element | undefined {
  return parent ? childNamed(parent, HL7, local) : undefined;
}

export function children(parent: Element | undefined, local: string): Element[] {
  return parent ? childrenNamed(parent, HL7, local) : [];
}

/** Follows a path of HL7 v3 children (first of each name). */
export function path(parent: Element | undefined, ...locals: string[]): Element | undefined {
  return locals.reduce<Element | undefined>((el, local) => child(el, local), parent);
}

export function attr(el: Element | undefined, name: string): string | undefined {
  const v = el?.getAttribute(name);
  return v ? v.trim() : undefined;
}

export function text(el: Element | undefined): string | undefined {
  const t = el ? ownText(el).trim() : '';
  return t === '' ? undefined : t;
}

/** An II with a root; undefined for a nullFlavor or a missing root. */
export function ii(el: Element | undefined): InstanceIdentifier | undefined {
  const root = attr(el, 'root');
  if (!root) return undefined;
  const extension = attr(el, 'extension');
  return { root, ...(extension ? { extension } : {}) };
}

/** HL7 TS (YYYYMMDD[HHMMSS...]) -> YYYY-MM-DD / YYYY-MM / YYYY; undefined when it is none of those. */
export function dateOfTs(value: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?/.exec(value ?? '');
  if (!m) return undefined;
  return [m[1], m[2], m[3]].filter(Boolean).join('-');
}

/** YYYY-MM-DD -> YYYYMMDD. */
export function tsOfDate(date: string): string {
  return date.replace(/-/g, '');
}

/** HL7 v3 TS of an instant, to the second (UTC). */
export function tsOfInstant(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
