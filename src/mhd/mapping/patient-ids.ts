/**
 * Patient identifiers: FHIR Identifier { system, value } <-> XDS CX `value^^^&OID&ISO`.
 * The system is looked up in the affinity profile's patientIdSystems (e.g. the Czech RID
 * system https://ncez.mzcr.cz/fhir/sid/rid) or given as urn:oid:OID.
 */
import { formatCx, parseCx } from '../../domain/hl7v2';
import type { Identifier } from './fhir-types';
import type { Terminology } from './terminology';

export type CxResult = { ok: true; cx: string } | { ok: false; reason: string };

export function identifierToCx(identifier: Identifier | undefined, terminology: Terminology): CxResult {
  const value = identifier?.value;
  const system = identifier?.system;
  if (typeof value !== 'string' || value === '') return { ok: false, reason: 'the patient identifier has no value' };
  if (typeof system !== 'string' || system === '') return { ok: false, reason: `patient identifier ${value} has no system` };
  if (value.includes('^') || value.includes('&')) return { ok: false, reason: `patient identifier ${value} contains HL7 separators` };
  const authority = terminology.patientSystemOid(system);
  if (!authority) return { ok: false, reason: `patient identifier system ${system} is not a configured patient identifier system (patientIdSystems) nor urn:oid:` };
  return { ok: true, cx: formatCx({ id: value, authority }) };
}

export function cxToIdentifier(cx: string, terminology: Terminology): Identifier | undefined {
  const parsed = parseCx(cx);
  return parsed ? { system: terminology.patientSystemUri(parsed.authority), value: parsed.id } : undefined;
}
