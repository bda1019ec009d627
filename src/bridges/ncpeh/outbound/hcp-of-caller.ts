/**
 * The HCP identity this NCP asserts for a local caller. The rule:
 * - NameID = the caller's subject; subject-id = the display name (the subject when none);
 * - role = the caller's role when it is an ISCO-08 code (2.16.840.1.113883.2.9.6.2.7, bare or urn:oid:), otherwise
 *   221 "Medical Doctors" (the roles of the local token or XUA assertion are not ISCO-08);
 * - organisation = the caller's (id and name; the id when no name); a caller without one acts
 *   for this NCP's home community;
 * - facility type = NCPEH_FACILITY_TYPE (default Hospital);
 * - purpose of use = EMERGENCY for break-the-glass or a purpose coded EMERGENCY/ETREAT, else TREATMENT;
 * - permissions = PRD-006 and PRD-010 (view the Patient Summary and ePrescriptions).
 */
import type { CallerProfessional } from '../../../communities/ports';
import { ISCO_08, type EhdsiPurposeOfUse, type HcpIdentity } from '../../../security/ehdsi';

const DEFAULT_ROLE = { code: '221', displayName: 'Medical Doctors' };
const PERMISSION = 'urn:oasis:names:tc:xspa:1.0:subject:hl7:permission:';
const PERMISSIONS = [`${PERMISSION}PRD-006`, `${PERMISSION}PRD-010`];

export interface HcpDefaults {
  facilityType: string;
  /** This NCP's community (urn:oid:…): the organisation of a caller who names none. */
  homeCommunityId: string;
}

function purposeOf(caller: CallerProfessional): EhdsiPurposeOfUse {
  if (caller.emergency) return 'EMERGENCY';
  return (caller.purposeOfUse ?? []).some((p) => p.code === 'EMERGENCY' || p.code === 'ETREAT') ? 'EMERGENCY' : 'TREATMENT';
}

export function hcpOfCaller(caller: CallerProfessional, defaults: HcpDefaults): HcpIdentity {
  const role = caller.role && (caller.role.scheme === ISCO_08 || caller.role.scheme === `urn:oid:${ISCO_08}`) ? { code: caller.role.code, displayName: caller.role.display ?? caller.role.code } : DEFAULT_ROLE;
  const organizationId = caller.organization?.id ?? defaults.homeCommunityId;
  return {
    nameId: caller.subject,
    name: caller.displayName ?? caller.subject,
    role,
    organization: caller.organization?.name ?? organizationId,
    organizationId,
    facilityType: defaults.facilityType,
    permissions: PERMISSIONS,
    purposeOfUse: purposeOf(caller),
  };
}
