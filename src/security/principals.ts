/**
 * Verified credentials -> the Principal the core and the audit trail work with. A client
 * certificate identifies the calling system (a hospital node); a token or SAML assertion
 * the user or service acting through it, so when both arrive the certificate's subject
 * becomes the client id and the token or assertion says who is asking.
 */
import type { Code } from '../domain/metadata';
import type { Principal } from '../domain/principal';
import type { CertificateIdentity } from './request-caller';
import { AccessDeniedError } from '../domain/access-denied';
import type { TokenIdentity } from './bearer';
import { isEmergencyPurpose } from './emergency';
import { patientCxOf, type PatientAuthorities } from './patient-context';
import type { XuaIdentity } from './saml';
import type { EhdsiIdentity } from './ehdsi';

interface Coded {
  code: string;
  system?: string;
  codeSystem?: string;
  display?: string;
  displayName?: string;
}

function codeOf(c: Coded): Code {
  const display = c.display ?? c.displayName;
  return { code: c.code, scheme: c.system ?? c.codeSystem ?? '', ...(display ? { display } : {}) };
}

function patientScope(value: string | undefined, authorities: PatientAuthorities): { patientId?: string } {
  if (value === undefined) return {};
  const cx = patientCxOf(value, authorities);
  // A patient context this gateway cannot apply must not become access to every patient.
  if (!cx) throw new AccessDeniedError(`patient context "${value.slice(0, 80)}" names no patient of an accepted authority`);
  return { patientId: cx };
}

function purposes(codes: readonly Coded[]): Pick<Principal, 'purposeOfUse' | 'emergency'> {
  if (codes.length === 0) return {};
  return { purposeOfUse: codes.map(codeOf), ...(isEmergencyPurpose(codes) ? { emergency: true } : {}) };
}

export function certificatePrincipal(cert: CertificateIdentity, address: string | undefined): Principal {
  return {
    subject: cert.subject,
    clientId: cert.subject,
    ...(cert.organization ? { organization: { id: cert.organization, name: cert.organization } } : {}),
    ...(address ? { address } : {}),
    authenticatedBy: 'certificate',
  };
}

export function tokenPrincipal(token: TokenIdentity, cert: CertificateIdentity | undefined, address: string | undefined, authorities: PatientAuthorities): Principal {
  const clientId = cert?.subject ?? token.clientId;
  return {
    subject: token.subject,
    ...(token.subjectName ? { displayName: token.subjectName } : {}),
    ...(token.organization ? { organization: token.organization } : {}),
    ...(token.role ? { role: codeOf(token.role) } : {}),
    ...purposes(token.purposeOfUse),
    ...(clientId ? { clientId } : {}),
    ...(address ? { address } : {}),
    ...patientScope(token.patient, authorities),
    ...(token.homeCommunityId ? { homeCommunityId: token.homeCommunityId } : {}),
    scopes: token.scopes,
    authenticatedBy: 'token',
  };
}

export function xuaPrincipal(xua: XuaIdentity, cert: CertificateIdentity | undefined, address: string | undefined, authorities: PatientAuthorities): Principal {
  const organizationId = xua.organizationId ?? xua.organization;
  return {
    subject: xua.subject,
    ...(xua.subjectName ? { displayName: xua.subjectName } : {}),
    ...(organizationId ? { organization: { id: organizationId, ...(xua.organization ? { name: xua.organization } : {}) } } : {}),
    ...(xua.role ? { role: codeOf(xua.role) } : {}),
    ...purposes(xua.purposeOfUse ?? []),
    ...(cert ? { clientId: cert.subject } : {}),
    ...(address ? { address } : {}),
    ...patientScope(xua.resourceId, authorities),
    ...(xua.homeCommunityId ? { homeCommunityId: xua.homeCommunityId } : {}),
    authenticatedBy: 'saml',
  };
}

/**
 * A foreign NCP's request (eHDSI): the HCP assertion names the professional, the TRC (when the
 * request is about a patient) binds the principal to that patient, so the core shows them that
 * patient's data only; the country is the one whose NCP signed.
 */
export function ehdsiPrincipal(ehdsi: EhdsiIdentity, cert: CertificateIdentity | undefined, address: string | undefined, authorities: PatientAuthorities): Principal {
  const { hcp, trc } = ehdsi;
  const organizationId = hcp.organizationId ?? hcp.organization;
  const purpose = { code: trc?.purposeOfUse ?? hcp.purposeOfUse, codeSystem: '3bc18518-d305-46c2-a8d6-94bd59856e9e', displayName: trc?.purposeOfUse ?? hcp.purposeOfUse };
  return {
    subject: hcp.nameId,
    displayName: hcp.name,
    organization: { id: organizationId, name: hcp.organization },
    role: codeOf(hcp.role),
    ...purposes([purpose]),
    ...(cert ? { clientId: cert.subject } : {}),
    ...(address ? { address } : {}),
    ...patientScope(trc?.patientId, authorities),
    ...(hcp.homeCommunityId ? { homeCommunityId: hcp.homeCommunityId } : {}),
    country: hcp.country,
    authenticatedBy: 'saml',
  };
}
