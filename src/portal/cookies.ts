/**
 * The session cookie: HttpOnly (scripts never see it), SameSite=Lax (sent on the issuer's
 * redirect back, not on cross-site posts), Secure except over plain http to a loopback
 * address (development), where a browser would drop a Secure cookie.
 */
import type Koa from 'koa';

export const SESSION_COOKIE = 'hie_portal';
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

function secureFor(ctx: Koa.Context): boolean {
  return !(ctx.protocol === 'http' && LOOPBACK.test(ctx.host));
}

export function sessionIdOf(ctx: Koa.Context): string | undefined {
  const header = ctx.get('Cookie');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(ctx: Koa.Context, id: string): void {
  ctx.append('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/portal; HttpOnly; SameSite=Lax${secureFor(ctx) ? '; Secure' : ''}`);
}

export function clearSessionCookie(ctx: Koa.Context): void {
  ctx.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/portal; HttpOnly; SameSite=Lax; Max-Age=0${secureFor(ctx) ? '; Secure' : ''}`);
}
