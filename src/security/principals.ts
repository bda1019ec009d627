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
