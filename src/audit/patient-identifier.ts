/**
 * The patient in an audit record: a FHIR identifier (system URI + value, the Czech RID
 * system when the affinity profile maps one to the authority) and back to the XDS CX that
 * DICOM audit messages and the audit_events table use.
 */
import { parseCx } from '../domain/hl7v2';
import { identifierToCx, patientAuthorityLookup, type PatientIdSystems } from '../domain/patient-identifier';
import type { Identifier } from './fhir-audit-event';

export type { PatientIdSystems } from '../domain/patient-identifier';

function uriOfAuthority(oid: string, systems: PatientIdSystems): string {
  for (const [uri, authority] of Object.entries(systems)) if (authority === oid) return uri;
  return `urn:oid:${oid}`;
}

/** A CX becomes { system, value }; a value that is no XDS CX is kept as the value alone. */
export function patientIdentifier(cx: string, systems: PatientIdSystems): Identifier {
  const parsed = parseCx(cx);
  return parsed ? { system: uriOfAuthority(parsed.authority, systems), value: parsed.id } : { value: cx };
}

/** The CX for a patient identifier; the value as given when it has no CX (unknown system, HL7 separators). */
export function patientIdOf(identifier: Identifier, systems: PatientIdSystems): string {
  const r = identifierToCx(identifier, patientAuthorityLookup(systems));
  return r.ok ? r.cx : (identifier.value ?? '');
}
