/**
 * /portal: the patient's audit-trail page, served by the gateway itself.
 *
 *   GET  /portal                      the page (or the sign-in page without a session)
 *   GET  /portal/assets/app.{js,css}  the page's bundle (built by `npm run build`)
 *   GET  /portal/login, /callback     OpenID Connect sign-in (authorization code + PKCE)
 *   POST /portal/logout               sign-out (and the issuer's end-session, when it has one)
 *   POST /portal/api/views            a page load: writes its one ATC_LOG_READ record, answers the first page
 *   GET  /portal/api/{trail,summary,documents,documents/:id/history}?view=…
 *   GET  /portal/export.csv, /portal/print?view=…   the shown trail as CSV / print-ready HTML
 *
 * The patient always comes from the server-side session, never from the request; a view id
 * is only good within the session that opened it.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import type Koa from 'koa';
import type { AuditTrail } from '../audit/audit-trail';
import { AccessDeniedError } from '../domain/access-denied';
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { Logger } from '../logger';
import type { Registry } from '../registry/registry';
import { tokenPrincipal } from '../security/principals';
import type { SecurityLayer } from '../security/security-layer';
import { clearSessionCookie, sessionIdOf, setSessionCookie } from './cookies';
import { trailCsv, trailPrintHtml } from './exports';
import type { Lang } from './labels';
import { PatientTrail, type TrailFilter } from './patient-trail';
import { appShell, signInPage } from './pages';
import type { PortalConfig } from './portal-config';
import { SessionStore, type PortalSession, type SignedIn } from './sessions';
import { PortalSignIn } from './sign-in';
import { ACCESS_KINDS, type AccessKind } from './trail-row';

export interface PortalDeps {
  audit: AuditTrail;
  registry: Registry;
  security: SecurityLayer;
  communityName(homeCommunityId: string): string | undefined;
}

const ASSET_DIR = path.resolve(__dirname, '..', '..', 'portal-assets');
const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

type Signed = { session: PortalSession; user: SignedIn };

function representativeOf(claims: Record<string, unknown>): SignedIn['representative'] {
  // RFC 8693 4.1 `act`: the party acting for the token's subject (here: for the patient).
  const act = claims.act;
  if (typeof act !== 'object' || act === null) return undefined;
  const { sub, name } = act as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return { subject: sub, ...(typeof name === 'string' && name ? { name } : {}) };
}

const langOf = (ctx: Koa.Context): Lang => (ctx.query.lang === 'en' ? 'en' : 'cs');
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function instant(v: unknown): string | undefined {
  const s = text(v);
  return s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined;
}

export function portalRouter(config: PortalConfig, deps: PortalDeps, logger: Logger): Router {
  const sessions = new SessionStore(config.sessionSeconds * 1000);
  const signIn = new PortalSignIn(config);
  const trail = new PatientTrail(deps.audit, deps.registry, deps.communityName);
  const router = new Router({ prefix: '/portal' });

  const signedIn = (ctx: Koa.Context): Signed | undefined => {
    const session = sessions.get(sessionIdOf(ctx));
    return session?.user ? { session, user: session.user } : undefined;
  };

  /** The session and the view of a data request, or a 401 (no session: sign in again) / 404 (a view not of this session). */
  const viewOf = (ctx: Koa.Context): (Signed & { to: string }) | undefined => {
    const s = signedIn(ctx);
    if (!s) {
      ctx.status = 401;
      ctx.body = { error: 'signed-out', signIn: '/portal/login' };
      return undefined;
    }
    const to = s.session.views.get(String(ctx.query.view ?? ''));
    if (!to) {
      ctx.status = 404;
      ctx.body = { error: 'unknown-view' };
      return undefined;
    }
    return { ...s, to };
  };

  const filterOf = (ctx: Koa.Context, to: string): TrailFilter => {
    const kind = text(ctx.query.kind);
    const from = instant(ctx.query.from);
    const organization = text(ctx.query.org);
    return { to, ...(from ? { from } : {}), ...(kind && ACCESS_KINDS.includes(kind as AccessKind) ? { kind: kind as AccessKind } : {}), ...(organization ? { organization } : {}) };
  };

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    // form-action names the issuer: sign-out posts here and is redirected on to the issuer's end-session page.
    ctx.set('Content-Security-Policy', `default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self' ${new URL(config.issuer).origin}`);
    try {
      await next();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      logger.warn({ err }, 'portal: store unavailable');
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { error: 'unavailable' };
    }
  });

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = signedIn(ctx) ? appShell() : signInPage();
  });

  router.get('/assets/:file', async (ctx) => {
    const type = ASSETS[ctx.params.file!];
    if (!type) return;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = type;
    ctx.body = await readFile(path.join(ASSET_DIR, ctx.params.file!));
  });

  router.get('/login', async (ctx) => {
    let started;
    try {
      started = await signIn.start();
    } catch (err) {
      logger.warn({ err }, 'portal: the OpenID provider cannot be reached');
      ctx.status = 503;
      ctx.type = 'html';
      ctx.body = signInPage({ cs: 'Přihlašovací služba je nedostupná, zkuste to prosím později.', en: 'The sign-in service is unavailable; please try again later.' });
      return;
    }
    const session = sessions.create();
    session.pending = started.pending;
    setSessionCookie(ctx, session.id);
    ctx.redirect(started.url);
  });

  router.get('/callback', async (ctx) => {
    const pendingSession = sessions.get(sessionIdOf(ctx));
    const pending = pendingSession?.pending;
    const refuse = (status: number, message: { cs: string; en: string }) => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = signInPage(message);
    };
    if (!pendingSession || !pending) return refuse(400, { cs: 'Přihlášení vypršelo, přihlaste se znovu.', en: 'The sign-in expired; please sign in again.' });
    sessions.delete(pendingSession.id);
    try {
      const result = await signIn.finish(ctx.querystring, pending);
      if (!deps.security.bearer) throw new Error('the portal needs OAUTH_ISSUERS');
      // The same rule as every API call: the access token's patient claim, read by the security layer.
      const identity = await deps.security.bearer.verify(result.accessToken);
      const principal = tokenPrincipal(identity, undefined, ctx.ip, deps.security.authorities);
      if (!principal.patientId) return refuse(403, { cs: 'Tento účet nepatří pacientovi.', en: 'This account is not a patient\'s.' });
      const representative = representativeOf(result.claims);
      const patientName = text(result.claims.name);
      // A fresh id after sign-in: an id planted before it (session fixation) is worth nothing.
      const session = sessions.create(identity.expiresAt?.getTime());
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
      return refuse(400, { cs: 'Přihlášení se nezdařilo, zkuste to znovu.', en: 'Sign-in failed; please try again.' });
    }
  });

  router.post('/logout', async (ctx) => {
    const s = signedIn(ctx);
    clearSessionCookie(ctx);
    if (!s) return ctx.redirect('/portal');
    sessions.delete(s.session.id);
    const back = new URL('/portal', config.redirectUrl).href;
    const endSession = await signIn.endSessionUrl(s.user.idToken, back).catch(() => undefined);
    ctx.redirect(endSession ?? back);
  });

  router.post('/api/views', async (ctx) => {
    const s = signedIn(ctx);
    if (!s) {
      ctx.status = 401;
      ctx.body = { error: 'signed-out', signIn: '/portal/login' };
      return;
    }
    const to = new Date().toISOString();
    const view = randomBytes(16).toString('base64url');
    // The one ATC_LOG_READ record of this page load, written by the audit trail with the first page's search.
    const audit = deps.audit.scope({ transaction: 'ITI-81', principal: s.user.principal, endpoint: '/portal' });
    audit.note({ patientId: s.user.principal.patientId });
    const page = await trail.page(s.user, { to }, 0, audit);
    sessions.addView(s.session, view, to);
    ctx.body = {
      view,
      to,
      patient: { id: s.user.principal.patientId, ...(s.user.patientName ? { name: s.user.patientName } : {}) },
      ...(s.user.representative ? { representative: s.user.representative } : {}),
      kinds: ACCESS_KINDS,
      page,
    };
  });

  router.get('/api/trail', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const page = Math.max(0, Math.min(Number.parseInt(String(ctx.query.page ?? '0'), 10) || 0, 10_000));
    ctx.body = await trail.page(v.user, filterOf(ctx, v.to), page);
  });

  router.get('/api/summary', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    ctx.body = await trail.summary(v.user, v.to);
  });

  router.get('/api/documents', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    ctx.body = { documents: await trail.documents(v.user) };
  });

  router.get('/api/documents/:id/history', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.documentHistory(v.user, ctx.params.id!, v.to);
    if (!rows) {
      ctx.status = 404;
      ctx.body = { error: 'unknown-document' };
      return;
    }
    ctx.body = { rows };
  });

  router.get('/export.csv', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.all(v.user, filterOf(ctx, v.to));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="pristupy-${v.to.slice(0, 10)}.csv"`);
    ctx.body = trailCsv(rows, langOf(ctx));
  });

  router.get('/print', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.all(v.user, filterOf(ctx, v.to));
    ctx.type = 'html';
    // The print view has inline styles of its own.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ctx.body = trailPrintHtml(rows, langOf(ctx), v.user.patientName ?? v.user.principal.patientId, new Date());
  });

  return router;
}
