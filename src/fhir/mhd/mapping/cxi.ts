/**
 * referenceIdList values (CXi: `id^^^&OID&ISO^typeCode`, ITI TF-3 4.2.3.1.7) <-> FHIR
 * Identifier with `type.coding` { system: urn:ietf:rfc:3986, code: typeCode }, the way
 * MHD carries them in DocumentReference.context.related (and, for the
 * urn:ihe:iti:xds:2015:encounterId type, in context.encounter).
 */
import { CXI_TYPE_SYSTEM } from './canonicals';
import type { Identifier } from './fhir-types';
import type { Terminology } from './terminology';
import { components, isoAuthority, joinComponents, parseIsoAuthority } from './v2-components';
import { identifierToIdAndAuthority } from './xcn';

export function cxiToIdentifier(cxi: string, terminology: Terminology): Identifier {
  const c = components(cxi);
  const authority = parseIsoAuthority(c[3]);
  const identifier: Identifier = {};
  if (authority) identifier.system = terminology.identifierSystemUri(authority);
  identifier.value = c[0] ?? '';
  if (c[4]) identifier.type = { coding: [{ system: CXI_TYPE_SYSTEM, code: c[4] }] };
  return identifier;
}

/** The CXi type code of an identifier, if it carries one. */
export function cxiTypeOf(identifier: Identifier | undefined): string | undefined {
  const coding = Array.isArray(identifier?.type?.coding) ? identifier.type.coding.find((c) => typeof c?.code === 'string') : undefined;
  return coding?.code;
}

export function identifierToCxi(identifier: Identifier, terminology: Terminology, typeCode = cxiTypeOf(identifier)): string | undefined {
  const { id, authority } = identifierToIdAndAuthority(identifier, terminology);
  if (!id) return undefined;
  return joinComponents([id, undefined, undefined, authority ? isoAuthority(authority) : undefined, typeCode]);
}
