/**
 * The patient in an audit record: a FHIR identifier (system URI + value, the Czech RID
 * system when the affinity profile maps one to the authority) and back to the XDS CX that
 * DICOM audit messages and the audit_events table use.
 */
import { formatCx, parseCx } from '../domain/hl7v2';
import type { Identifier } from './fhir-audit-event';

export type PatientIdSystems = Readonly<Record<string, string>>;

function uriOfAuthority(oid: string, systems: PatientIdSystems): string {
  for (const [uri, authority] of Object.entries(systems)) if (authority === oid) return uri;
  return `urn:oid:${oid}`;
}

/** A CX becomes { system, value }; a value that is no XDS CX is kept as the value alone. */
export function patientIdentifier(cx: string, systems: PatientIdSystems): Identifier {
  const parsed = parseCx(cx);
  return parsed ? { system: uriOfAuthority(parsed.authority, systems), value: parsed.id } : { value: cx };
}

/** The CX for a patient identifier; undefined when its system has no known authority OID. */
export function identifierToCx(identifier: Identifier, systems: PatientIdSystems): string | undefined {
  const system = identifier.system ?? '';
  const oid = system.startsWith('urn:oid:') ? system.slice('urn:oid:'.length) : systems[system];
  if (!oid) return parseCx(identifier.value) ? identifier.value : undefined;
  return formatCx({ id: identifier.value, authority: oid });
}
