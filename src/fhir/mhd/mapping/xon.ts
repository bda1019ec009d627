/**
 * XON (authorInstitution, intendedRecipient organization) <-> FHIR Organization name +
 * identifier. XON components used by XDS: 1 name, 6 assigning authority, 10 identifier.
 * An XON.10 that is itself an OID (no XON.6) is the organization's OID.
 */
import { isOid } from '../../../domain/hl7v2';
import { URI_SYSTEM } from './canonicals';
import type { Identifier } from './fhir-types';
import type { Terminology } from './terminology';
import { components, isoAuthority, joinComponents, parseIsoAuthority } from './v2-components';
import { identifierToIdAndAuthority } from './xcn';

export interface OrganizationParts {
  name?: string;
  identifier?: Identifier;
}

export function organizationToXon(org: OrganizationParts, terminology: Terminology): string | undefined {
  const { id, authority } = identifierToIdAndAuthority(org.identifier, terminology);
  const xon = joinComponents([org.name, undefined, undefined, undefined, undefined, authority ? isoAuthority(authority) : undefined, undefined, undefined, undefined, id]);
  return xon === '' ? undefined : xon;
}

export function xonToOrganization(xon: string, terminology: Terminology): OrganizationParts {
  const c = components(xon);
  const out: OrganizationParts = {};
  if (c[0]) out.name = c[0];
  const id = c[9];
  if (id) {
    const authority = parseIsoAuthority(c[5]);
    if (authority) out.identifier = { system: terminology.identifierSystemUri(authority), value: id };
    else if (isOid(id)) out.identifier = { system: URI_SYSTEM, value: `urn:oid:${id}` };
    else out.identifier = { value: id };
  }
  return out;
}
