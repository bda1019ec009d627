/**
 * People and organizations: XDS Author, legalAuthenticator and intendedRecipient <-> the
 * FHIR resources MHD uses for them (Practitioner, PractitionerRole, Organization, and on
 * the way in also Patient, RelatedPerson and Device).
 *
 * An XDS Author is written as one reference: a Practitioner (person only), an
 * Organization (institution only), or a PractitionerRole tying person, first institution,
 * roles, specialties and telecoms together. FHIR's PractitionerRole holds one
 * organization, so an author with several institutions keeps the first.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import type { Author } from '../../../domain/metadata';
import { URI_SYSTEM } from './canonicals';
import type { ContactPoint, Device, FhirResource, Organization, PartyResource, Patient, Practitioner, PractitionerRole, Reference, RelatedPerson } from './fhir-types';
import { conceptToCwe, cweToConcept } from './cwe';
import { at, type Problems } from './problems';
import { ofType, resolveReference, type ReferenceScope } from './references';
import type { Terminology } from './terminology';
import { personToXcn, xcnToPerson, type Person } from './xcn';
import { organizationToXon, xonToOrganization } from './xon';
import { contactPointToXtn, xtnToContactPoint } from './xtn';

// ---------- domain -> FHIR ----------

export interface PartyResources {
  /** Reference to put in the referring element (a `#id` into `contained`). */
  reference: Reference;
  /** The resource that reference names, and everything it needs, to add to `contained`. */
  contained: FhirResource[];
  top: PartyResource;
}

// The outbound builders assign optional elements one by one rather than spreading conditional
// object literals: they run for every author of every search result, and the spreads were a
// quarter of the mapping's time.

function practitionerFrom(id: string, person: Person | undefined, telecom: ContactPoint[]): Practitioner {
  const p: Practitioner = { resourceType: 'Practitioner', id };
  if (person?.identifier) p.identifier = [person.identifier];
  if (person?.name) p.name = [person.name];
  if (telecom.length) p.telecom = telecom;
  return p;
}

function organizationFrom(id: string, xon: string, telecom: ContactPoint[], terminology: Terminology): Organization {
  const parts = xonToOrganization(xon, terminology);
  const o: Organization = { resourceType: 'Organization', id };
  if (parts.identifier) o.identifier = [parts.identifier];
  if (parts.name) o.name = parts.name;
  if (telecom.length) o.telecom = telecom;
  return o;
}

interface PartyParts {
  person?: string;
  institution?: string;
  roles: string[];
  specialties: string[];
  telecoms: string[];
}

function partsToResources(parts: PartyParts, id: string, terminology: Terminology): PartyResources | undefined {
  const telecom = parts.telecoms.map(xtnToContactPoint).filter((c): c is ContactPoint => !!c);
  const person = parts.person ? xcnToPerson(parts.person, terminology) : undefined;
  const needsRole = parts.roles.length > 0 || parts.specialties.length > 0 || (!!parts.person && !!parts.institution);
  if (!needsRole) {
    if (parts.person || (!parts.institution && telecom.length)) {
      const p = practitionerFrom(id, person, telecom);
      return { reference: { reference: `#${id}` }, contained: [p], top: p };
    }
    if (parts.institution) {
      const o = organizationFrom(id, parts.institution, telecom, terminology);
      return { reference: { reference: `#${id}` }, contained: [o], top: o };
    }
    return undefined;
  }
  const contained: FhirResource[] = [];
  const role: PractitionerRole = { resourceType: 'PractitionerRole', id };
  if (parts.person) {
    contained.push(practitionerFrom(`${id}-person`, person, []));
    role.practitioner = { reference: `#${id}-person` };
  }
  if (parts.institution) {
    contained.push(organizationFrom(`${id}-org`, parts.institution, [], terminology));
    role.organization = { reference: `#${id}-org` };
  }
  if (parts.roles.length) role.code = parts.roles.map((r) => cweToConcept(r, terminology));
  if (parts.specialties.length) role.specialty = parts.specialties.map((s) => cweToConcept(s, terminology));
  if (telecom.length) role.telecom = telecom;
  return { reference: { reference: `#${id}` }, contained: [role, ...contained], top: role };
}

export function authorToResources(author: Author, id: string, terminology: Terminology): PartyResources | undefined {
  const parts: PartyParts = { roles: author.roles, specialties: author.specialties, telecoms: author.telecommunications };
  if (author.person) parts.person = author.person;
  if (author.institutions[0]) parts.institution = author.institutions[0];
  return partsToResources(parts, id, terminology);
}

/** intendedRecipient `XON|XCN|XTN` (XCN and XTN optional). */
export function recipientToResources(recipient: string, id: string, terminology: Terminology): PartyResources | undefined {
  const [xon, xcn, xtn] = recipient.split('|');
  return partsToResources({ ...(xcn ? { person: xcn } : {}), ...(xon ? { institution: xon } : {}), roles: [], specialties: [], telecoms: xtn ? [xtn] : [] }, id, terminology);
}

export function legalAuthenticatorToResource(xcn: string, id: string, terminology: Terminology): Practitioner {
  return practitionerFrom(id, xcnToPerson(xcn, terminology), []);
}

// ---------- FHIR -> domain ----------

type Named = { identifier?: Practitioner['identifier']; name?: Practitioner['name'] };

function xcnOf(resource: Named, terminology: Terminology): string | undefined {
  const identifiers = Array.isArray(resource.identifier) ? resource.identifier : [];
  // Prefer an identifier whose assigning authority XDS can name.
  const identifier = identifiers.find((i) => typeof i?.system === 'string' && !!terminology.identifierSystemOid(i.system)) ?? identifiers[0];
  const name = Array.isArray(resource.name) ? resource.name[0] : undefined;
  return personToXcn({ ...(identifier ? { identifier } : {}), ...(name ? { name } : {}) }, terminology);
}

function xonOf(org: Organization, terminology: Terminology): string | undefined {
  const identifiers = Array.isArray(org.identifier) ? org.identifier : [];
  const identifier = identifiers.find((i) => i?.system === 'urn:ietf:rfc:3986') ?? identifiers.find((i) => typeof i?.system === 'string' && !!terminology.identifierSystemOid(i.system)) ?? identifiers[0];
  return organizationToXon({ ...(typeof org.name === 'string' ? { name: org.name } : {}), ...(identifier ? { identifier } : {}) }, terminology);
}

function xtnsOf(telecom: unknown): string[] {
  return (Array.isArray(telecom) ? (telecom as ContactPoint[]) : []).map((c) => (c && typeof c === 'object' ? contactPointToXtn(c) : undefined)).filter((x): x is string => !!x);
}

/** Where a reference must be found, and whether it must be contained (Comprehensive option). */
export interface PartyScope extends ReferenceScope {
  requireContained: boolean;
}

interface Party {
  resource: FhirResource;
  /** Scope for the references inside the resource (a Bundle resource has its own `contained`). */
  scope: PartyScope;
}

/**
 * Resolves a party reference: the resource it names, or, for a logical reference
 * (identifier/display only), a stand-in Practitioner/Organization built from it.
 */
function resolveParty(ref: Reference | undefined, scope: PartyScope, path: string, problems: Problems): Party | undefined {
  if (!ref || typeof ref !== 'object') {
    problems.error(path, 'is not a Reference');
    return undefined;
  }
  const target = ref.reference;
  if (scope.requireContained && !(typeof target === 'string' && target.startsWith('#'))) {
    problems.error(path, 'the Comprehensive Metadata option requires a contained resource (#id); send the UnContained References option to refer elsewhere');
    return undefined;
  }
  if (typeof target === 'string' && target !== '') {
    const resolved = resolveReference(ref, scope);
    if (resolved) return { resource: resolved.resource, scope: resolved.contained ? scope : { ...scope, container: resolved.resource } };
    if (target.startsWith('#')) {
      problems.error(path, `reference ${target} names no contained resource`);
      return undefined;
    }
    // Outside the Bundle and unknown here: the UnContained References option allows exactly
    // that, so the reference itself (and its display) is what XDS gets.
    return { resource: standIn(ref, referencedType(target)), scope };
  }
  if (!(typeof ref.display === 'string' && ref.display) && !(ref.identifier && typeof ref.identifier === 'object')) {
    problems.error(path, 'has neither reference, identifier nor display');
    return undefined;
  }
  return { resource: standIn(ref, undefined), scope };
}

const PARTY_TYPE = /(?:^|\/)(Practitioner|PractitionerRole|Organization|Patient|RelatedPerson|Device)\/[^/]+(?:\/_history\/[^/]+)?$/;

/** The resource type a literal reference names (`[base/]Organization/y`), if it is a party type. */
function referencedType(target: string): string | undefined {
  return PARTY_TYPE.exec(target)?.[1];
}

/**
 * A Practitioner or Organization standing for what a reference says of its target: its
 * display as the name, its identifier, else the literal reference itself (urn:ietf:rfc:3986),
 * so the XCN/XON still names the resource the sender meant.
 */
function standIn(ref: Reference, pathType: string | undefined): FhirResource {
  const name = typeof ref.display === 'string' && ref.display ? ref.display : undefined;
  const target = typeof ref.reference === 'string' && ref.reference ? ref.reference : undefined;
  const identifier = ref.identifier && typeof ref.identifier === 'object' ? [ref.identifier] : target ? [{ system: URI_SYSTEM, value: target }] : undefined;
  const type = ref.type ?? pathType;
  return type === 'Organization'
    ? // XON.1 (the name) is required in XDS; the reference names the organization when no display does.
      { resourceType: 'Organization', ...((name ?? target) ? { name: name ?? target } : {}), ...(identifier ? { identifier } : {}) }
    : { resourceType: 'Practitioner', ...(name ? { name: [{ text: name }] } : {}), ...(identifier ? { identifier } : {}) };
}

function deviceXcn(resource: FhirResource, terminology: Terminology): string | undefined {
  const device = ofType<Device>(resource, 'Device');
  if (!device) return undefined;
  const name = Array.isArray(device.deviceName) ? device.deviceName[0]?.name : undefined;
  return xcnOf({ ...(device.identifier ? { identifier: device.identifier } : {}), ...(name ? { name: [{ family: name }] } : {}) }, terminology);
}

/** The person (XCN) a person-like resource stands for. */
function personXcn(resource: FhirResource, terminology: Terminology): string | undefined {
  for (const type of ['Practitioner', 'Patient', 'RelatedPerson'] as const) {
    const r = ofType<Practitioner | Patient | RelatedPerson>(resource, type);
    if (r) return xcnOf(r, terminology);
  }
  return deviceXcn(resource, terminology);
}

function partyParts({ resource, scope }: Party, path: string, problems: Problems, terminology: Terminology): PartyParts | undefined {
  const role = ofType<PractitionerRole>(resource, 'PractitionerRole');
  if (role) {
    const practitioner = role.practitioner ? resolveParty(role.practitioner, scope, at(path, 'practitioner'), problems)?.resource : undefined;
    const organization = role.organization ? resolveParty(role.organization, scope, at(path, 'organization'), problems)?.resource : undefined;
    const person = practitioner ? personXcn(practitioner, terminology) : undefined;
    const org = ofType<Organization>(organization, 'Organization');
    const institution = org ? xonOf(org, terminology) : undefined;
    const concepts = (list: unknown) => (Array.isArray(list) ? list : []).map((c) => conceptToCwe(c, terminology)).filter((x): x is string => !!x);
    return {
      ...(person ? { person } : {}),
      ...(institution ? { institution } : {}),
      roles: concepts(role.code),
      specialties: concepts(role.specialty),
      telecoms: [...xtnsOf(role.telecom), ...xtnsOf((practitioner as Practitioner | undefined)?.telecom)],
    };
  }
  const org = ofType<Organization>(resource, 'Organization');
  if (org) {
    const institution = xonOf(org, terminology);
    return { ...(institution ? { institution } : {}), roles: [], specialties: [], telecoms: xtnsOf(org.telecom) };
  }
  const person = personXcn(resource, terminology);
  if (person !== undefined || ['Practitioner', 'Patient', 'RelatedPerson', 'Device'].includes(resource.resourceType)) {
    return { ...(person ? { person } : {}), roles: [], specialties: [], telecoms: xtnsOf((resource as Practitioner).telecom) };
  }
  problems.error(path, `a ${resource.resourceType} cannot be expressed as an XDS author or recipient`);
  return undefined;
}

export function referenceToAuthor(ref: Reference | undefined, scope: PartyScope, path: string, problems: Problems, terminology: Terminology): Author | undefined {
  const party = resolveParty(ref, scope, path, problems);
  const parts = party ? partyParts(party, path, problems, terminology) : undefined;
  if (!parts) return undefined;
  return {
    ...(parts.person ? { person: parts.person } : {}),
    institutions: parts.institution ? [parts.institution] : [],
    roles: parts.roles,
    specialties: parts.specialties,
    telecommunications: parts.telecoms,
  };
}

export function referenceToRecipient(ref: Reference | undefined, scope: PartyScope, path: string, problems: Problems, terminology: Terminology): string | undefined {
  const party = resolveParty(ref, scope, path, problems);
  const parts = party ? partyParts(party, path, problems, terminology) : undefined;
  if (!parts) return undefined;
  const value = [parts.institution ?? '', parts.person ?? '', parts.telecoms[0] ?? ''].join('|').replace(/\|+$/, '');
  if (value === '') problems.error(path, 'names no organization, person or telecom address');
  return value || undefined;
}

export function referenceToLegalAuthenticator(ref: Reference | undefined, scope: PartyScope, path: string, problems: Problems, terminology: Terminology): string | undefined {
  const party = resolveParty(ref, scope, path, problems);
  if (!party) return undefined;
  const role = ofType<PractitionerRole>(party.resource, 'PractitionerRole');
  const person = role ? (role.practitioner ? resolveParty(role.practitioner, party.scope, at(path, 'practitioner'), problems)?.resource : undefined) : party.resource;
  const xcn = person ? personXcn(person, terminology) : undefined;
  if (xcn) return xcn;
  if (ofType<Organization>(party.resource, 'Organization') || (role && !role.practitioner)) {
    // FHIR allows an Organization to authenticate; XDS legalAuthenticator is an XCN (a person).
    // The MHD mapping leaves it empty then: the document is kept, the sender is told.
    problems.warning(path, 'an Organization authenticator has no XDS legalAuthenticator (a person, XCN); the document is stored without one', XdsErrorCode.XDSExtraMetadataNotSaved);
    return undefined;
  }
  problems.error(path, 'legalAuthenticator must be a person (XCN); this resource names none');
  return undefined;
}
