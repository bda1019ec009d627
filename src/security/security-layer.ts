/**
 * The security layer as one object built from configuration: the mechanisms that are
 * configured (bearer tokens, XUA, client certificates come with the listener), the rate
 * limiter, the access policy, and the audit record of a refused authentication. The HTTP
 * middleware (http-authentication.ts) and the SOAP authenticator (soap-authentication.ts)
 * are its two faces.
 */
import type { Element as XmlElement } from '@xmldom/xmldom';
import { authenticationFailureEvent, type AuthenticationFailure } from '../audit/authentication-event';
import type { AuditTrail } from '../audit/audit-trail';
import type { Config } from '../config';
import type { SqlExecutor } from '../store/sql/database';
import type { AccessPolicy } from './authorize';
import { BearerVerifier } from './bearer';
import type { PatientAuthorities } from './patient-context';
import { RateLimiter } from './rate-limiter';
import { createXuaVerifier, type XuaIdentity } from './saml';

export interface SecurityDeps {
  audit: AuditTrail;
  db: SqlExecutor;
}

export class SecurityLayer {
  readonly auth: 'on' | 'off';
  readonly bearer: BearerVerifier | undefined;
  /** Verifies the wsse:Security header of a SOAP message (XUA); set when IdPs are trusted. */
  readonly xua: ((securityHeader: XmlElement) => XuaIdentity) | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly policy: AccessPolicy;
  readonly authorities: PatientAuthorities;

  constructor(
    config: Pick<Config, 'security' | 'patientIdAuthority' | 'acceptedPatientAuthorities' | 'profile'>,
    private readonly deps: SecurityDeps,
  ) {
    const s = config.security;
    this.auth = s.auth;
    this.bearer = s.oauth ? new BearerVerifier({ issuers: s.oauth.issuers, audiences: s.oauth.audiences, ...(s.oauth.introspection ? { introspection: s.oauth.introspection } : {}) }) : undefined;
    // Built once: the trusted certificates are parsed (and a bad one refused) at start.
    this.xua = s.xua ? createXuaVerifier({ trustedCertificates: s.xua.trustedCertificates, audiences: s.xua.audiences }) : undefined;
    this.limiter = s.rateLimit ? new RateLimiter(s.rateLimit) : undefined;
    this.policy = { emergencyAccess: s.emergencyAccess };
    this.authorities = { primary: config.patientIdAuthority, accepted: config.acceptedPatientAuthorities, systems: config.profile.patientIdSystems };
  }

  /**
   * Records a refused authentication before the refusal is sent, in the gateway's database like
   * every audit record (so it is forwarded and never lost).
   */
  async recordFailure(failure: AuthenticationFailure): Promise<void> {
    await this.deps.audit.store(this.deps.db, authenticationFailureEvent(failure, this.deps.audit.context), { forward: true });
  }
}
