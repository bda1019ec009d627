/**
 * XUA attribute values (ITI TF-2 3.40.4.1.2) -> identity fields. Most are plain strings; role and
 * purpose of use are HL7 v3 coded values, written as an element in the hl7 namespace (Role /
 * PurposeOfUse with xsi:type="CE", or an element named CE) inside the AttributeValue.
 */
import type { Element } from '@xmldom/xmldom';
import { attribute, elementChildren, simpleText } from './dom';
import { XuaError } from './errors';
import { NS } from './namespaces';

export interface CodedValue {
  code: string;
  codeSystem?: string;
  displayName?: string;
}

/** xsi:nil="true" is SAML's way of saying "this attribute has no value" (SAML core 2.7.3.1.1). */
function isNil(value: Element): boolean {
  const nil = value.getAttributeNS(NS.xsi, 'nil');
  return nil === 'true' || nil === '1';
}

/**
 * The first non-empty value as a string. Further values are ignored: the identity has room for
 * one, and the signature vouches for all of them equally.
 */
export function stringValue(values: readonly Element[] | undefined, name: string): string | undefined {
  for (const value of values ?? []) {
    if (isNil(value)) continue;
    const text = simpleText(value);
    // A structured value where a string belongs is a misunderstanding worth refusing, not guessing at.
    if (text === undefined) throw new XuaError(`attribute ${name} has a structured value where a string is expected`);
    if (text.trim()) return text.trim();
  }
  return undefined;
}

function codedValue(value: Element, name: string, elementNames: ReadonlySet<string>): CodedValue {
  const children = elementChildren(value);
  const ce = children[0];
  if (children.length !== 1 || !ce || ce.namespaceURI !== NS.hl7 || !elementNames.has(ce.localName ?? '')) {
    throw new XuaError(`attribute ${name} must hold one hl7 ${[...elementNames].join('/')} element`);
  }
  const code = attribute(ce, 'code')?.trim();
  // A role or purpose without a code cannot be authorised against; refuse rather than drop it silently.
  if (!code) throw new XuaError(`attribute ${name} has a coded value without a code`);
  const codeSystem = attribute(ce, 'codeSystem')?.trim();
  const displayName = attribute(ce, 'displayName')?.trim();
  return { code, ...(codeSystem ? { codeSystem } : {}), ...(displayName ? { displayName } : {}) };
}

/** Every non-nil value as a coded value. */
export function codedValues(values: readonly Element[] | undefined, name: string, elementNames: ReadonlySet<string>): CodedValue[] {
  return (values ?? []).filter((v) => !isNil(v)).map((v) => codedValue(v, name, elementNames));
}

export const ROLE_ELEMENTS: ReadonlySet<string> = new Set(['Role', 'CE']);
export const PURPOSE_OF_USE_ELEMENTS: ReadonlySet<string> = new Set(['PurposeOfUse', 'CE']);
