/**
 * Every request carries what the transport established about its caller in
 * ctx.state.caller, and, once authenticated, a Principal in ctx.state.principal. The
 * security layer (src/security) fills both; SOAP messages may authenticate later, from
 * their WS-Security header, which is why the caller travels separately.
 */
import type Koa from 'koa';
import type { Principal } from '../domain/principal';

/** A verified client certificate, as far as authorization and the audit trail need it. */
export interface CertificateIdentity {
  /** Subject CN. */
  subject: string;
  /** Subject O. */
  organization?: string;
  fingerprint256: string;
}

export interface RequestCaller {
  address?: string;
  certificate?: CertificateIdentity;
  /** The caller authenticated at the HTTP level (token, certificate) or the AUTH=off anonymous caller. */
  principal?: Principal;
  /** Set when the client is over its rate limit: SOAP answers XDSRegistryBusy instead of the transaction. */
  retryAfterSeconds?: number;
}

export interface PrincipalState {
  principal?: Principal;
  caller?: RequestCaller;
}

export function principalOf(ctx: Koa.Context): Principal {
  const p = (ctx.state as PrincipalState).principal;
  if (!p) throw new Error('no principal on the request: the authentication middleware did not run');
  return p;
}

export function callerOf(ctx: Koa.Context): RequestCaller {
  const state = ctx.state as PrincipalState;
  return state.caller ?? { ...(state.principal ? { principal: state.principal } : {}) };
}
