/**
 * A patient identifier given as FHIR system + value (MHD resources, ITI-81 parameters,
 * AuditEvent entities) -> the XDS patient CX `value^^^&OID&ISO` the registry stores and
 * compares. One rule for every front end and the audit trail.
 *
 * A value holding an HL7 v2 encoding character (`^` component, `&` subcomponent, `~`
 * repetition, `\` escape) is refused rather than escaped to `\S\`, `\T\`, `\R\`, `\E\`: an
 * XDS patient ID carries only CX.1 and CX.4 (ITI TF-3 Table 4.2.3.1.7-2) and registries
 * compare it as a string, so an escaped value would be a different patient ID from the same
 * identifier sent unescaped over the other front end, and this gateway does not interpret
 * escape sequences anywhere else (parseCx, the v2 component mapping).
 */
import { formatCx, isOid } from './hl7v2';

/** FHIR identifier system URI -> assigning authority OID (AffinityProfile.patientIdSystems). */
export type PatientIdSystems = Readonly<Record<string, string>>;

/** Where a system URI's assigning authority OID comes from (the MHD Terminology is one). */
export interface PatientAuthorityLookup {
  patientSystemOid(system: string): string | undefined;
}

export interface PatientIdentifierValue {
  system?: string;
  value?: string;
}

export type CxResult = { ok: true; cx: string } | { ok: false; reason: string };

/** The lookup of a plain system table; `urn:oid:OID` names its own OID. */
export function patientAuthorityLookup(systems: PatientIdSystems): PatientAuthorityLookup {
  return {
    patientSystemOid(system: string): string | undefined {
      const known = systems[system];
      if (known) return known;
      const bare = system.startsWith('urn:oid:') ? system.slice('urn:oid:'.length) : undefined;
      return bare && isOid(bare) ? bare : undefined;
    },
  };
}

const HL7_ENCODING_CHARACTER = /[\^&~\\]/;

export function identifierToCx(identifier: PatientIdentifierValue | undefined, authorities: PatientAuthorityLookup): CxResult {
  const value = identifier?.value;
  const system = identifier?.system;
  if (typeof value !== 'string' || value === '') return { ok: false, reason: 'the patient identifier has no value' };
  if (typeof system !== 'string' || system === '') return { ok: false, reason: `patient identifier ${value} has no system` };
  if (HL7_ENCODING_CHARACTER.test(value)) return { ok: false, reason: `patient identifier ${value} contains HL7 separators` };
  const authority = authorities.patientSystemOid(system);
  if (!authority) return { ok: false, reason: `patient identifier system ${system} is not a configured patient identifier system (patientIdSystems) nor urn:oid:` };
  return { ok: true, cx: formatCx({ id: value, authority }) };
}
