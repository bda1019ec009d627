/**
 * Every request carries a Principal in ctx.state.principal. With AUTH=off (loopback only)
 * it is an anonymous caller known by address; the security layer replaces this middleware.
 */
import type Koa from 'koa';
import type { Principal } from '../domain/principal';

export interface PrincipalState {
  principal: Principal;
}

export function anonymousPrincipal(): Koa.Middleware<PrincipalState> {
  return async (ctx, next) => {
    ctx.state.principal = { subject: 'anonymous', address: ctx.ip };
    await next();
  };
}

export function principalOf(ctx: Koa.Context): Principal {
  const p = (ctx.state as Partial<PrincipalState>).principal;
  if (!p) throw new Error('no principal on the request: the authentication middleware did not run');
  return p;
}
