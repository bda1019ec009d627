/**
 * Patient identity feed: the registry accepts submissions only for patients it knows
 * (XDSUnknownPatientId otherwise). ITI-104 (FHIR) feeds it; PATIENT_CHECK=any accepts
 * every well-formed ID of an accepted assigning authority instead.
 */
import { XdsErrorCode } from '../domain/error-codes';
import { formatCx, parseCx } from '../domain/hl7v2';
import { RegistryError } from '../domain/registry-error';

export interface PatientPolicy {
  check: 'registered' | 'any';
  acceptedAuthorities: readonly string[];
}

/** Normalises a CX and checks its assigning authority; throws XDSUnknownPatientId otherwise. */
export function acceptedPatientCx(value: string, policy: PatientPolicy): string {
  const cx = parseCx(value);
  if (!cx) throw RegistryError.of(XdsErrorCode.XDSRegistryMetadataError, `patientId "${value}" is not a CX id^^^&OID&ISO`, value);
  if (!policy.acceptedAuthorities.includes(cx.authority)) {
    throw RegistryError.of(XdsErrorCode.XDSUnknownPatientId, `assigning authority ${cx.authority} is not one of the affinity domain's`, value);
  }
  return formatCx(cx);
}

/** The feed check on the result of a lookup (the caller reads the patients table with its other lookups). */
export function assertPatientKnown(patientId: string, known: boolean, policy: PatientPolicy): void {
  acceptedPatientCx(patientId, policy);
  if (policy.check === 'registered' && !known) {
    throw RegistryError.of(XdsErrorCode.XDSUnknownPatientId, `patient ${patientId} is not known to the registry`, patientId);
  }
}
