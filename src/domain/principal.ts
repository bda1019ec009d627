import type { Code } from './metadata';

/**
 * Who is asking, as the security layer established it (token, SAML assertion, client
 * certificate, or the loopback-only anonymous principal). The core uses it for patient
 * scoping and the audit trail; it never authenticates anything itself.
 */
export interface Principal {
  /** Stable subject id (token sub, SAML subject-id, certificate subject). */
  subject: string;
  displayName?: string;
  organization?: { id: string; name?: string };
  role?: Code;
  purposeOfUse?: Code[];
  /** Client application id (OAuth client_id, certificate CN). */
  clientId?: string;
  /** Network address of the caller. */
  address?: string;
  /** Set for patient-context access: the principal sees only this patient's data (CX). */
  patientId?: string;
  /** Break-the-glass access, flagged in the audit record. */
  emergency?: boolean;
  /**
   * SMART / IUA scopes granted by an access token: they limit which interactions the caller
   * may use. Undefined for callers authenticated otherwise (SAML assertion, client
   * certificate, AUTH=off), which the scopes do not restrict.
   */
  scopes?: readonly string[];
  /**
   * The community the caller acts for (XUA attribute urn:ihe:iti:xca:2010:homeCommunityId, IUA
   * home_community_id), urn:oid:…: on a cross-community request (XCA), the remote community,
   * which the audit record names as a participant.
   */
  homeCommunityId?: string;
  /**
   * ISO 3166 alpha-2 code of the country a cross-border caller acts from (eHDSI: the country
   * whose NCP signed the HCP assertion), which the audit record names.
   */
  country?: string;
  /** How the caller was authenticated (audit and diagnostics). */
  authenticatedBy?: 'token' | 'saml' | 'certificate' | 'none';
}

/** The principal used when AUTH=off on loopback and for in-process system work. */
export const SYSTEM_PRINCIPAL: Principal = { subject: 'system', displayName: 'hie-gateway' };

/**
 * Whether `principal` may reach data about the patient `patientId` (a canonical CX): a
 * principal bound to one patient reaches that patient alone, any other every patient its
 * grants allow. The one rule behind every patient-scoped answer of the core.
 */
export function reachesPatient(principal: Principal, patientId: string | undefined): boolean {
  return principal.patientId === undefined || principal.patientId === patientId;
}
