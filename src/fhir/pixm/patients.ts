/**
 * Patients as this front end sees them: the registry's identity feed table, keyed by CX,
 * holding the Patient resource the feed sent (with the derived id of
 * patient-resource-id.ts). Which of them a principal sees, the registry decides.
 */
import type { Principal } from '../../domain/principal';
import { XdsErrorCode } from '../../domain/error-codes';
import { RegistryError } from '../../domain/registry-error';
import type { Identifier, MhdMapping } from '../mhd/mapping';
import { cxToIdentifier } from '../mhd/mapping/patient-ids';
import { identifierToCx } from '../../domain/patient-identifier';
import { FhirHttpError } from '../http/http-error';
import { cxOfPatientResourceId, digestOfPatientResourceId, patientResourceId } from '../../domain/patient-resource-id';
import type { MhdServices } from '../http/services';

export type PatientResource = Record<string, unknown> & { resourceType: 'Patient' };

/** `system|value` (FHIR token search syntax) -> Identifier; XDS needs the system, so it is required. */
export function parseIdentifierToken(token: string): Identifier {
  const bar = token.indexOf('|');
  if (bar <= 0 || bar === token.length - 1) {
    throw FhirHttpError.of(400, 'invalid', `identifier=${token} must be system|value: the system names the patient identifier domain`);
  }
  return { system: token.slice(0, bar), value: token.slice(bar + 1) };
}

/** The CX of a patient identifier; a system outside the affinity domain's is XDSUnknownPatientId. */
export function requirePatientCx(identifier: Identifier, mapping: MhdMapping, location?: string): string {
  const r = identifierToCx(identifier, mapping.terminology);
  if (!r.ok) throw RegistryError.of(XdsErrorCode.XDSUnknownPatientId, r.reason, location);
  return r.cx;
}

/** The fed Patient with this CX, as a resource; undefined when unknown, inactive or not visible to the principal. */
export async function storedPatient(cx: string, services: MhdServices, mapping: MhdMapping, principal: Principal): Promise<PatientResource | undefined> {
  const row = await services.registry.getPatient(cx, principal);
  if (!row || !row.active) return undefined;
  const id = patientResourceId(cx);
  const fed = row.resource && typeof row.resource === 'object' ? (row.resource as Record<string, unknown>) : {};
  const identifier = cxToIdentifier(cx, mapping.terminology);
  // A patient fed over ITI-8/XDS has no resource: answer with what the registry knows.
  return {
    ...(Array.isArray(fed.identifier) ? {} : { identifier: identifier ? [identifier] : [] }),
    ...fed,
    resourceType: 'Patient',
    ...(id ? { id } : {}),
  };
}

/** The fed Patient a `Patient/{id}` names; undefined when the id names no fed patient. */
export async function storedPatientById(id: string, services: MhdServices, mapping: MhdMapping, principal: Principal): Promise<PatientResource | undefined> {
  let cx = cxOfPatientResourceId(id, services.patientAuthorities);
  if (!cx) {
    // An id of the digest form (identifier value no FHIR id): the registry knows which patient.
    const digest = digestOfPatientResourceId(id, services.patientAuthorities);
    cx = digest ? (await services.registry.getPatientByValueDigest(digest.authority, digest.digest, principal))?.patientId : undefined;
  }
  return cx ? storedPatient(cx, services, mapping, principal) : undefined;
}

/**
 * The patient a set of MHD resources is about (for the audit record): the first
 * subject identifier that maps to a CX. MHD resources carry the patient as
 * subject.identifier, which is how the mapping writes them.
 */
export function patientOfResources(resources: ReadonlyArray<Record<string, unknown>>, mapping: MhdMapping): string | undefined {
  for (const r of resources) {
    const identifier = (r.subject as { identifier?: Identifier } | undefined)?.identifier;
    if (!identifier) continue;
    const cx = identifierToCx(identifier, mapping.terminology);
    if (cx.ok) return cx.cx;
  }
  return undefined;
}

/** The patient a search names by `patient.identifier=system|value` (for the audit record), if it maps to a CX. */
export function patientOfSearch(params: ReadonlyArray<[string, string]>, mapping: MhdMapping): string | undefined {
  const token = params.find(([name]) => name === 'patient.identifier' || name === 'patient:identifier')?.[1];
  const bar = token?.indexOf('|') ?? -1;
  if (!token || bar <= 0) return undefined;
  const cx = identifierToCx({ system: token.slice(0, bar), value: token.slice(bar + 1) }, mapping.terminology);
  return cx.ok ? cx.cx : undefined;
}
