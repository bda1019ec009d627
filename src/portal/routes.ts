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
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import type { AuditTrail } from '../audit/audit-trail';
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { Logger } from '../logger';
import type { Registry } from '../registry/registry';
import type { SecurityLayer } from '../security/security-layer';
import { PatientTrail } from './patient-trail';
import { appShell, signInPage } from './pages';
import type { PortalConfig } from './portal-config';
import { PortalSessions } from './portal-sessions';
import { SessionStore } from './sessions';
import { signInRoutes } from './sign-in-routes';
import { trailRoutes } from './trail-routes';

export interface PortalDeps {
  audit: AuditTrail;
  registry: Registry;
  security: SecurityLayer;
  communityName(homeCommunityId: string): string | undefined;
}

const ASSET_DIR = path.resolve(__dirname, '..', '..', 'portal-assets');
const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

export function portalRouter(config: PortalConfig, deps: PortalDeps, logger: Logger): Router {
  const sessions = new PortalSessions(new SessionStore(config.sessionSeconds * 1000));
  const router = new Router({ prefix: '/portal' });

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
    ctx.body = sessions.signedIn(ctx) ? appShell() : signInPage();
  });

  router.get('/assets/:file', async (ctx) => {
    const type = ASSETS[ctx.params.file!];
    if (!type) return;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = type;
    ctx.body = await readFile(path.join(ASSET_DIR, ctx.params.file!));
  });

  signInRoutes(router, config, sessions, deps.security, logger);
  trailRoutes(router, sessions, new PatientTrail(deps.audit, deps.registry, deps.communityName), deps.audit);
  return router;
}
