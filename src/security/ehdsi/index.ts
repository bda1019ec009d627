/**
 * eHDSI (MyHealth@EU) security: the HCP identity and TRC assertions NCPs exchange in
 * WS-Security, issued and signed for outbound requests (issue.ts), verified for inbound ones
 * (verify.ts) on the XUA verifier's pipeline.
 */
export { EHDSI_ASSERTION, EHDSI_ATTRIBUTE, EHDSI_AUDIENCE, EHDSI_PURPOSES, EHDSI_FACILITY_TYPES, ISCO_08, type EhdsiPurposeOfUse } from './names';
export type { HcpIdentity } from './build-assertions';
export { createEhdsiIssuer, type EhdsiAssertionIssuer, type EhdsiIssuerOptions, type SignedHcpAssertion } from './issue';
export { createEhdsiVerifier, type EhdsiHcp, type EhdsiIdentity, type EhdsiRequirement, type EhdsiTrc, type EhdsiVerifier, type EhdsiVerifierOptions } from './verify';
export { EhdsiSecurityError } from './errors';
