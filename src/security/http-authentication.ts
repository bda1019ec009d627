/**
 * HTTP face of the security layer, run before every front end:
 *
 *  1. the client certificate the TLS handshake verified (if the listener asks for one);
 *  2. a bearer token, verified (IUA/SMART) — a bad one is refused with 401 and audited;
 *  3. the Principal: token, else certificate, else the anonymous caller when AUTH=off;
 *  4. the rate limit, per token subject, certificate or address (a bad credential counts
 *     against the address, so guessing is throttled too);
 *  5. no Principal: SOAP messages may still authenticate with an XUA assertion in their
 *     WS-Security header (soap-authentication.ts); anything else is refused with 401.
 *
 * Public paths (health, metrics, the CapabilityStatement, WSDLs) need no credentials.
 */
import type Koa from 'koa';
import { AccessDeniedError } from '../domain/access-denied';
import type { Principal } from '../domain/principal';
import type { PrincipalState, RequestCaller } from './request-caller';
import type { AuthenticationFailure } from './authentication-failure';
import { bearerTokenOf, TokenError } from './bearer';
import { claimedTokenSubject } from './claimed-subject';
import { certificatePrincipal, tokenPrincipal } from './principals';
import { refusals, type Refusal, type RefusalResponder } from './refusal';
import type { SecurityLayer } from './security-layer';
import { clientCertificateOf } from './tls';

export interface ProtectedPaths {
  /** Paths of SOAP endpoints, where a message may carry its own credentials. */
  isSoap(path: string): boolean;
  /** Requests anyone may make. */
  isPublic(method: string, path: string): boolean;
}

type Credential = { principal?: Principal; failure?: AuthenticationFailure; refusal?: Refusal };

/** The audit facts of a refused credential: the claimed identity, where it came from, what it asked for. */
function failureOf(ctx: Koa.Context, caller: RequestCaller, mechanism: string, reason: string, claimedSubject?: string): AuthenticationFailure {
  return { mechanism, reason, endpoint: ctx.path, ...(claimedSubject ? { claimedSubject } : {}), ...(caller.address ? { address: caller.address } : {}) };
}

function anonymous(ctx: Koa.Context): Principal {
  return { subject: 'anonymous', address: ctx.ip, authenticatedBy: 'none' };
}

async function tokenCredential(layer: SecurityLayer, ctx: Koa.Context, caller: RequestCaller): Promise<Credential | undefined> {
  const invalid = (reason: string, claimed?: string): Credential => ({ refusal: refusals.invalidToken(), failure: failureOf(ctx, caller, 'token', reason, claimed) });
  let token: string | undefined;
  try {
    token = bearerTokenOf(ctx.get('Authorization') || undefined);
  } catch (err) {
    return invalid(err instanceof Error ? err.message : 'malformed Authorization header');
  }
  if (token === undefined) return undefined;
  if (!layer.bearer) {
    // AUTH=off on loopback: a token nobody can check changes nothing.
    return layer.auth === 'off' ? undefined : invalid('bearer tokens are not accepted here (no OAUTH_ISSUERS)', claimedTokenSubject(token));
  }
  try {
    const identity = await layer.bearer.verify(token);
    return { principal: tokenPrincipal(identity, caller.certificate, caller.address, layer.authorities) };
  } catch (err) {
    if (err instanceof TokenError && err.code === 'unavailable') return { refusal: refusals.unavailable() };
    if (err instanceof AccessDeniedError) return { refusal: refusals.forbidden(err.publicReason), failure: failureOf(ctx, caller, 'token', err.message, claimedTokenSubject(token)) };
    return invalid(err instanceof Error ? err.message : String(err), claimedTokenSubject(token));
  }
}

/** SAML assertions are read after this middleware, so at this point a subject is a token's. */
function rateKey(principal: Principal | undefined, caller: RequestCaller): string {
  if (principal?.authenticatedBy === 'token') return `sub:${principal.subject}`;
  if (caller.certificate) return `cert:${caller.certificate.fingerprint256}`;
  return `ip:${caller.address ?? 'unknown'}`;
}

export function authenticationMiddleware(layer: SecurityLayer, paths: ProtectedPaths, respond: RefusalResponder): Koa.Middleware {
  return async (ctx, next) => {
    const state = ctx.state as PrincipalState;
    const certificate = clientCertificateOf(ctx.req.socket);
    const caller: RequestCaller = { address: ctx.ip, ...(certificate ? { certificate } : {}) };
    state.caller = caller;
    const soap = paths.isSoap(ctx.path);

    if (paths.isPublic(ctx.method, ctx.path)) {
      const rate = layer.limiter?.take(rateKey(undefined, caller));
      if (rate && !rate.allowed) return respond(ctx, refusals.rateLimited(rate.retryAfterSeconds));
      state.principal = anonymous(ctx);
      return next();
    }
    const credential = (await tokenCredential(layer, ctx, caller)) ?? {};
    let principal = credential.principal;
    if (!principal && !credential.refusal) {
      if (certificate) principal = certificatePrincipal(certificate, caller.address);
      else if (layer.auth === 'off') principal = anonymous(ctx);
    }

    const rate = layer.limiter?.take(rateKey(principal, caller));
    if (rate && !rate.allowed) {
      // A SOAP client gets its transaction's XDSRegistryBusy answer once its message is read.
      if (!soap || credential.refusal) return respond(ctx, refusals.rateLimited(rate.retryAfterSeconds));
      caller.retryAfterSeconds = rate.retryAfterSeconds;
    }
    if (credential.refusal) {
      if (credential.failure) await layer.recordFailure(credential.failure);
      return respond(ctx, credential.refusal);
    }
    if (!principal && !(soap && layer.xua)) {
      await layer.recordFailure(failureOf(ctx, caller, 'none', 'no credentials'));
      return respond(ctx, refusals.unauthenticated());
    }
    if (principal) {
      state.principal = principal;
      caller.principal = principal;
    }
    await next();
  };
}
