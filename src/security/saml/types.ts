/** The public shapes of the XUA verifier (see index.ts). */

export interface XuaOptions {
  /** PEM X.509 certificates of trusted identity providers (the assertion's signing cert must be one of them). */
  trustedCertificates: string[];
  /** Accepted audiences (AudienceRestriction/Audience values); the assertion must name at least one. Empty = audience not checked. */
  audiences: string[];
  /** Clock skew tolerated on NotBefore/NotOnOrAfter, seconds (default 60). */
  clockSkewSeconds?: number;
  now?: () => Date;
}

export interface XuaCode {
  code: string;
  codeSystem?: string;
  displayName?: string;
}

export interface XuaIdentity {
  issuer: string;
  assertionId: string;
  /** Subject/NameID text. */
  subject: string;
  /** urn:oasis:names:tc:xspa:1.0:subject:subject-id */
  subjectName?: string;
  /** urn:oasis:names:tc:xspa:1.0:subject:organization */
  organization?: string;
  /** urn:oasis:names:tc:xspa:1.0:subject:organization-id */
  organizationId?: string;
  /** urn:oasis:names:tc:xacml:2.0:subject:role (hl7:Role / hl7:CE element); the first value. */
  role?: XuaCode;
  /** urn:oasis:names:tc:xspa:1.0:subject:purposeofuse (hl7:PurposeOfUse / hl7:CE elements); every value. */
  purposeOfUse?: XuaCode[];
  /** urn:oasis:names:tc:xacml:2.0:resource:resource-id (patient CX, e.g. 1234567890^^^&1.2.3&ISO). */
  resourceId?: string;
  /** urn:ihe:iti:xca:2010:homeCommunityId */
  homeCommunityId?: string;
  /** Earliest NotOnOrAfter of Conditions and SubjectConfirmationData, when any is given. */
  notOnOrAfter?: Date;
}
