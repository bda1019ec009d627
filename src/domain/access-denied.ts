/**
 * The caller is known but not entitled to what it asked for (a scope it lacks, another
 * patient's data for a patient-context caller, emergency access where it is not allowed).
 * Front ends answer 403 (FHIR) or a SOAP fault. `message` is for the audit trail and the
 * log; the caller sees only `publicReason`, which says no more than the standards let a
 * server say (RFC 6750 names the missing scope; nothing else is explained).
 */
export class AccessDeniedError extends Error {
  constructor(
    reason: string,
    readonly publicReason = 'access denied',
    /** RFC 6750 3.1: the scope that would have been enough, for WWW-Authenticate. */
    readonly requiredScope?: string,
  ) {
    super(reason);
    this.name = 'AccessDeniedError';
  }
}
