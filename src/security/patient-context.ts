/**
 * The patient a token or assertion limits access to, as the XDS CX the registry compares
 * with. Tokens name patients in whichever form their authorization server knows:
 *  - a CX (`1234567890^^^&1.2.203…&ISO`), as IUA's patient_id and XUA's resource-id do;
 *  - a FHIR token `system|value` (e.g. the Czech RID system), as the Czech guide's IDs are;
 *  - this gateway's Patient resource id (SMART's `patient` launch context);
 *  - a bare identifier, taken to be of the affinity domain's patient ID authority.
 * A value that fits none of them is refused: a patient context that cannot be honoured must
 * not turn into no patient context.
 */
import { formatCx, normalizeCx } from '../domain/hl7v2';
import { identifierToCx, patientAuthorityLookup } from '../domain/patient-identifier';
import { cxOfPatientResourceId } from '../domain/patient-resource-id';

export interface PatientAuthorities {
  /** PATIENT_ID_AUTHORITY, first of `accepted`. */
  primary: string;
  accepted: readonly string[];
  /** FHIR identifier system URI -> assigning authority OID. */
  systems: Readonly<Record<string, string>>;
}

const BARE_ID = /^[A-Za-z0-9.-]{1,64}$/;

export function patientCxOf(value: string, authorities: PatientAuthorities): string | undefined {
  const v = value.trim();
  if (v.includes('^')) return normalizeCx(v);
  const bar = v.indexOf('|');
  if (bar > 0) {
    const lookup = patientAuthorityLookup(authorities.systems);
    const identifier = { system: v.slice(0, bar), value: v.slice(bar + 1) };
    const authority = lookup.patientSystemOid(identifier.system);
    const cx = authority && authorities.accepted.includes(authority) ? identifierToCx(identifier, lookup) : undefined;
    return cx?.ok ? cx.cx : undefined;
  }
  return cxOfPatientResourceId(v, authorities.accepted) ?? (BARE_ID.test(v) ? formatCx({ id: v, authority: authorities.primary }) : undefined);
}
