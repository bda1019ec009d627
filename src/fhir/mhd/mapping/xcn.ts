/**
 * XCN (authorPerson, legalAuthenticator, intendedRecipient person) <-> FHIR HumanName +
 * Identifier. XCN components used by XDS: 1 id, 2 family, 3 given, 4 further given names,
 * 5 suffix, 6 prefix, 9 assigning authority (`&OID&ISO`).
 */
import type { HumanName, Identifier } from './fhir-types';
import type { Terminology } from './terminology';
import { components, isoAuthority, joinComponents, parseIsoAuthority } from './v2-components';

export interface Person {
  name?: HumanName;
  identifier?: Identifier;
}

const words = (list: string[] | undefined) => (Array.isArray(list) ? list.filter((w) => typeof w === 'string' && w !== '').join(' ') : '');

/** The id and assigning authority an identifier contributes to XCN.1 / XCN.9 (or XON.10 / XON.6). */
export function identifierToIdAndAuthority(identifier: Identifier | undefined, terminology: Terminology): { id?: string; authority?: string } {
  const value = identifier?.value;
  if (typeof value !== 'string' || value === '') return {};
  const system = identifier?.system;
  if (system === 'urn:ietf:rfc:3986') return { id: value.startsWith('urn:oid:') ? value.slice(8) : value };
  const authority = typeof system === 'string' ? terminology.identifierSystemOid(system) : undefined;
  // An identifier of a system without a known OID keeps its value; XCN.9 is required only "if available".
  return authority ? { id: value, authority } : { id: value };
}

export function personToXcn(person: Person, terminology: Terminology): string | undefined {
  const { id, authority } = identifierToIdAndAuthority(person.identifier, terminology);
  const n = person.name;
  const given = Array.isArray(n?.given) ? n.given : [];
  const xcn = joinComponents([
    id,
    n?.family ?? (n?.text && !given.length ? n.text : undefined),
    given[0],
    words(given.slice(1)),
    words(n?.suffix),
    words(n?.prefix),
    undefined,
    undefined,
    authority ? isoAuthority(authority) : undefined,
  ]);
  return xcn === '' ? undefined : xcn;
}

export function xcnToPerson(xcn: string, terminology: Terminology): Person {
  const c = components(xcn);
  const name: HumanName = {};
  if (c[1]) name.family = c[1];
  const given = [c[2], ...(c[3] ? c[3].split(' ') : [])].filter((g): g is string => !!g);
  if (given.length) name.given = given;
  if (c[4]) name.suffix = c[4].split(' ');
  if (c[5]) name.prefix = c[5].split(' ');
  const person: Person = {};
  if (Object.keys(name).length) person.name = name;
  if (c[0]) {
    const authority = parseIsoAuthority(c[8]);
    person.identifier = authority ? { system: terminology.identifierSystemUri(authority), value: c[0] } : { value: c[0] };
  }
  return person;
}
