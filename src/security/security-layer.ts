/**
 * The security layer as one object built from configuration: the mechanisms that are
 * configured (bearer tokens, XUA, client certificates come with the listener), the rate
 * limiter, the access policy, and the audit record of a refused authentication. The HTTP
 * middleware (http-authentication.ts) and the SOAP authenticator (soap-authentication.ts)
 * are its two faces.
 */
import type { Element as XmlElement } from '@xmldom/xmldom';
import type { AffinityProfile } from '../domain/affinity-profile';
import type { AuthenticationFailure } from './authentication-failure';
import type { AccessPolicy } from './authorize';
import { BearerVerifier } from './bearer';
import type { PatientAuthorities } from './patient-context';
import { RateLimiter } from './rate-limiter';
import { createXuaVerifier, type XuaIdentity } from './saml';
import { createEhdsiVerifier, type EhdsiVerifier } from './ehdsi';
import type { SecurityConfig } from './security-config';

export interface SecurityDeps {
  /** Writes the audit record of a refused authentication (the audit trail's, wired by the app). */
  recordRefusal(failure: AuthenticationFailure): Promise<void>;
}

/** The settings the security layer reads (a part of the gateway's Config). */
export interface SecuritySettings {
  security: SecurityConfig;
  patientIdAuthority: string;
  acceptedPatientAuthorities: string[];
  profile: Pick<AffinityProfile, 'patientIdSystems'>;
}

export class SecurityLayer {
  readonly auth: 'on' | 'off';
  readonly bearer: BearerVerifier | undefined;
  /** Verifies the wsse:Security header of a SOAP message (XUA); set when IdPs are trusted. */
  readonly xua: ((securityHeader: XmlElement) => XuaIdentity) | undefined;
  /** Verifies the HCP identity and TRC assertions of a foreign NCP (eHDSI); set when NCPs are trusted. */
  readonly ehdsi: EhdsiVerifier | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly policy: AccessPolicy;
  readonly authorities: PatientAuthorities;

  constructor(
    config: SecuritySettings,
    private readonly deps: SecurityDeps,
  ) {
    const s = config.security;
    this.auth = s.auth;
    this.bearer = s.oauth ? new BearerVerifier({ issuers: s.oauth.issuers, audiences: s.oauth.audiences, ...(s.oauth.introspection ? { introspection: s.oauth.introspection } : {}) }) : undefined;
    // Built once: the trusted certificates are parsed (and a bad one refused) at start.
    this.xua = s.xua ? createXuaVerifier({ trustedCertificates: s.xua.trustedCertificates, audiences: s.xua.audiences }) : undefined;
    this.ehdsi = s.ehdsi ? createEhdsiVerifier({ trustedCertificates: s.ehdsi.trustedCertificates, audiences: s.ehdsi.audiences }) : undefined;
    this.limiter = s.rateLimit ? new RateLimiter(s.rateLimit) : undefined;
    this.policy = { emergencyAccess: s.emergencyAccess };
    this.authorities = { primary: config.patientIdAuthority, accepted: config.acceptedPatientAuthorities, systems: config.profile.patientIdSystems };
  }

  /**
   * Records a refused authentication before the refusal is sent, in the gateway's database like
   * every audit record (so it is forwarded and never lost).
   */
  async recordFailure(failure: AuthenticationFailure): Promise<void> {
    await this.deps.recordRefusal(failure);
  }
}
