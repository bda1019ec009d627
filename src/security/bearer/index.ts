/**
 * OAuth2 bearer tokens (IHE IUA, SMART on FHIR): JWT access tokens verified with the trusted
 * issuers' JWKS, opaque ones by RFC 7662 introspection. See verifier.ts for the flow.
 */
export { BearerVerifier } from './verifier';
export { bearerTokenOf } from './header';
export { TokenError, type TokenErrorCode } from './errors';
export type { TokenIdentity } from './identity';
export { DEFAULT_ALGORITHMS, type BearerOptions } from './options';
