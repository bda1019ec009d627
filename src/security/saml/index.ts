/**
 * IHE XUA (ITI-40): verification of the SAML 2.0 assertion in a WS-Security header.
 *
 *   const identity = verifyXuaAssertion(securityHeader, { trustedCertificates, audiences });
 *
 * Every refusal is an XuaError whose message (= `reason`) is for logs and audit only; the
 * client gets a generic fault. Invalid options are a TypeError. createXuaVerifier() does the
 * same with options checked (and certificates parsed) once, for use per request.
 *
 * Profiles carrying several assertions (eHDSI: HCP identity + TRC) use the same pipeline per
 * assertion: findAssertions(), verifierSettings(), verifyAssertionElement(); and sign their own
 * with signAssertion().
 */
export { XuaError } from './errors';
export type { XuaCode, XuaIdentity, XuaOptions } from './types';
export { createXuaVerifier, identityOf, verifierSettings, verifyAssertionElement, verifyXuaAssertion, type AssertionVerifierSettings, type VerifiedAssertion } from './verify';
export { findAssertions } from './locate';
export type { SignedAssertion } from './read-assertion';
export type { TrustedCertificate } from './trust';
export { codedValues, stringValue, PURPOSE_OF_USE_ELEMENTS, ROLE_ELEMENTS, type CodedValue } from './attributes';
export { signAssertion, signingKey, type AssertionSigningKey } from './sign';
export { NS as SAML_NS, XUA_ATTRIBUTE } from './namespaces';
