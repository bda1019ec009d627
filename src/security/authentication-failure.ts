/** What the security layer knows of a refused authentication, for its audit record. */
export interface AuthenticationFailure {
  /** What the credential claimed to be (unverified): token sub/client_id, SAML NameID, certificate subject. */
  claimedSubject?: string;
  /** The client's network address. */
  address?: string;
  /** token | saml | certificate | none */
  mechanism: string;
  /** The real reason, kept in the audit trail only. */
  reason: string;
  /** This gateway's endpoint that refused the request. */
  endpoint?: string;
  recorded?: Date;
}
