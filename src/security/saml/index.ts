/**
 * IHE XUA (ITI-40): verification of the SAML 2.0 assertion in a WS-Security header.
 *
 *   const identity = verifyXuaAssertion(securityHeader, { trustedCertificates, audiences });
 *
 * Every refusal is an XuaError whose message (= `reason`) is for logs and audit only; the
 * client gets a generic fault. Invalid options are a TypeError. createXuaVerifier() does the
 * same with options checked (and certificates parsed) once, for use per request.
 */
export { XuaError } from './errors';
export type { XuaCode, XuaIdentity, XuaOptions } from './types';
export { createXuaVerifier, verifyXuaAssertion } from './verify';
