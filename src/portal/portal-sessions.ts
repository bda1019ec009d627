/** The portal's sessions as requests meet them: the signed-in session of a request, and the view a data request names. */
import type Koa from 'koa';
import { sessionIdOf } from './cookies';
import type { PortalSession, SessionStore, SignedIn } from './sessions';

export type Signed = { session: PortalSession; user: SignedIn };

export class PortalSessions {
  constructor(readonly store: SessionStore) {}

  signedIn(ctx: Koa.Context): Signed | undefined {
    const session = this.store.get(sessionIdOf(ctx));
    return session?.user ? { session, user: session.user } : undefined;
  }

  /** 401: the page goes back to sign-in. */
  signedOut(ctx: Koa.Context): undefined {
    ctx.status = 401;
    ctx.body = { error: 'signed-out', signIn: '/portal/login' };
    return undefined;
  }

  /** The session and the view of a data request, or a 401 (no session) / 404 (a view not of this session). */
  viewOf(ctx: Koa.Context): (Signed & { to: string }) | undefined {
    const s = this.signedIn(ctx);
    if (!s) return this.signedOut(ctx);
    const to = s.session.views.get(String(ctx.query.view ?? ''));
    if (!to) {
      ctx.status = 404;
      ctx.body = { error: 'unknown-view' };
      return undefined;
    }
    return { ...s, to };
  }
}
