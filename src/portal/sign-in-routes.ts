/**
 * Signing in and out of the portal: /portal/login sends the browser to the issuer (code +
 * PKCE), /portal/callback exchanges the code and opens the session under a fresh id,
 * POST /portal/logout ends it (and the issuer's session, when it has an end-session endpoint).
 */
import type Router from '@koa/router';
import { AccessDeniedError } from '../domain/access-denied';
import type { Logger } from '../logger';
import { tokenPrincipal } from '../security/principals';
import type { SecurityLayer } from '../security/security-layer';
import { clearSessionCookie, sessionIdOf, setSessionCookie } from './cookies';
import { signInPage } from './pages';
import type { PortalConfig } from './portal-config';
import type { PortalSessions } from './portal-sessions';
import type { SignedIn } from './sessions';
import { PortalSignIn } from './sign-in';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const UNAVAILABLE = { cs: 'Přihlašovací služba je nedostupná, zkuste to prosím později.', en: 'The sign-in service is unavailable; please try again later.' };

function representativeOf(claims: Record<string, unknown>): SignedIn['representative'] {
  // RFC 8693 4.1 `act`: the party acting for the token's subject (here: for the patient).
  const act = claims.act;
  if (typeof act !== 'object' || act === null) return undefined;
  const { sub, name } = act as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return { subject: sub, ...(typeof name === 'string' && name ? { name } : {}) };
}

export function signInRoutes(router: Router, config: PortalConfig, sessions: PortalSessions, security: SecurityLayer, logger: Logger): void {
  const signIn = new PortalSignIn(config);
  const { store } = sessions;
  router.get('/login', async (ctx) => {
    let started;
    try {
      started = await signIn.start();
    } catch (err) {
      logger.warn({ err }, 'portal: the OpenID provider cannot be reached');
      ctx.status = 503;
      ctx.type = 'html';
      ctx.body = signInPage(UNAVAILABLE);
      return;
    }
    // A sign-in has ten minutes to come back.
    const session = store.create(Date.now() + 600_000);
    if (!session) {
      ctx.status = 503;
      ctx.set('Retry-After', '60');
      ctx.type = 'html';
      ctx.body = signInPage(UNAVAILABLE);
      return;
    }
    session.pending = started.pending;
    setSessionCookie(ctx, session.id);
    ctx.redirect(started.url);
  });

  router.get('/callback', async (ctx) => {
    const pendingSession = store.get(sessionIdOf(ctx));
    const pending = pendingSession?.pending;
    const refuse = (status: number, message: { cs: string; en: string }) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = signInPage(message);
    };
    if (!pendingSession || !pending) return refuse(400, { cs: 'Přihlášení vypršelo, přihlaste se znovu.', en: 'The sign-in expired; please sign in again.' });
    store.delete(pendingSession.id);
    try {
      const result = await signIn.finish(ctx.querystring, pending);
      if (!security.bearer) throw new Error('the portal needs OAUTH_ISSUERS');
      // The same rule as every API call: the access token's patient claim, read by the security layer.
      const identity = await security.bearer.verify(result.accessToken);
      const principal = tokenPrincipal(identity, undefined, ctx.ip, security.authorities);
      if (!principal.patientId) return refuse(403, { cs: 'Tento účet nepatří pacientovi.', en: 'This account is not a patient\'s.' });
      const representative = representativeOf(result.claims);
      const patientName = text(result.claims.name);
      // A fresh id after sign-in: an id planted before it (session fixation) is worth nothing.
      const session = store.create(identity.expiresAt?.getTime());
      if (!session) return refuse(503, UNAVAILABLE);
      // The audit records of this session name the person who looks: the representative, or the patient by name.
      const looker = representative
        ? { subject: representative.subject, ...(representative.name ? { displayName: representative.name } : {}) }
        : { ...(principal.displayName ?? patientName ? { displayName: principal.displayName ?? patientName } : {}) };
      session.user = {
        principal: { ...principal, ...looker, patientId: principal.patientId },
        accessToken: result.accessToken,
        ...(result.idToken ? { idToken: result.idToken } : {}),
        ...(representative ? { representative } : {}),
        ...(patientName ? { patientName } : {}),
      };
      setSessionCookie(ctx, session.id);
      ctx.redirect('/portal');
    } catch (err) {
      if (err instanceof AccessDeniedError) return refuse(403, { cs: 'Přihlášení neurčuje pacienta, kterého tato brána zná.', en: 'The sign-in names no patient this gateway knows.' });
      logger.warn({ err }, 'portal: sign-in failed');
      // fetch() failing (TypeError): the issuer could not be reached, not a bad sign-in.
      if (err instanceof TypeError) return refuse(503, UNAVAILABLE);
      return refuse(400, { cs: 'Přihlášení se nezdařilo, zkuste to znovu.', en: 'Sign-in failed; please try again.' });
    }
  });

  router.post('/logout', async (ctx) => {
    const s = sessions.signedIn(ctx);
    clearSessionCookie(ctx);
    if (!s) return ctx.redirect('/portal');
    store.delete(s.session.id);
    const back = new URL('/portal', config.redirectUrl).href;
    const endSession = await signIn.endSessionUrl(s.user.idToken, back).catch(() => undefined);
    ctx.redirect(endSession ?? back);
  });

}
