/** The Koa application: cross-cutting middleware and the operational endpoints. Front ends mount their routers here. */
import type http from 'node:http';
import { attachSubscriptionSockets } from './subscription-sockets';
import { SUBSCRIPTION_WS_PATH } from '../fhir/subscriptions/subscription-handlers';
import Router from '@koa/router';
import Koa from 'koa';
import type { Gateway } from '../gateway';
import type { Logger } from '../logger';
import { FHIR_PATH } from '../fhir/http/fhir-base';
import { mhdRoutes, type MhdOptions } from '../fhir/routes';
import { xdsRouter } from '../xds/routes';
import { healthReport } from './health';
import { GatewayMetrics } from './metrics';
import { authenticationMiddleware, type ProtectedPaths } from '../security/http-authentication';
import { SecurityLayer } from '../security/security-layer';
import { SoapAuthentication } from '../security/soap-authentication';
import { XDS_PATHS } from '../xds/routes';
import { XCA_PATHS, xcaRouter } from '../xca/routes';
import { refusalResponder } from './refusals';
import { parsePortalConfig } from '../portal/portal-config';
import { portalRouter } from '../portal/routes';

export interface AppContext {
  app: Koa;
  metrics: GatewayMetrics;
  security: SecurityLayer;
  /** Serves the subscriptions' websocket channel on the listening server. */
  attach(server: http.Server): void;
}

const SOAP_PATHS: ReadonlySet<string> = new Set([...Object.values(XDS_PATHS), ...Object.values(XCA_PATHS)]);
const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health', '/metrics', `${FHIR_PATH}/metadata`]);

/** The patient portal signs its users in itself (an OpenID Connect session, src/portal). */
const isPortalPath = (path: string) => path === '/portal' || path.startsWith('/portal/');

/** Which requests need credentials: all but the operational endpoints and service descriptions (WSDL, CapabilityStatement). */
const PROTECTED_PATHS: ProtectedPaths = {
  isSoap: (path) => SOAP_PATHS.has(path),
  isPublic: (method, path) => isPortalPath(path) || ((method === 'GET' || method === 'HEAD') && (PUBLIC_PATHS.has(path) || SOAP_PATHS.has(path))),
};

export function createApp(gw: Gateway, logger: Logger, fhirOptions: MhdOptions = {}): AppContext {
  const app = new Koa();
  const metrics = new GatewayMetrics();
  metrics.gaugeOnScrape('hie_jobs', 'Background jobs by state', ['state'], async (set) => {
    const s = await gw.jobs.stats();
    for (const state of ['waiting', 'delayed', 'active', 'failed'] as const) set({ state }, s[state]);
  });
  metrics.gaugeOnScrape('hie_audit_records', 'Audit records not yet delivered, by repository and state', ['destination', 'state'], async (set) => {
    for (const d of await gw.audit.health()) {
      set({ destination: d.destination, state: 'pending' }, d.pending);
      set({ destination: d.destination, state: 'failed' }, d.failed);
    }
  });

  metrics.observeCommunities(gw.communities.health, () => gw.communities.directory.list().map((c) => c.homeCommunityId));
  metrics.observeRemoteCache(gw.remoteDocuments);

  // Koa reports stream errors after the response started (a client that hangs up during a
  // download) here, and would print them to stderr; they go to the log, client aborts at debug.
  app.on('error', (err: NodeJS.ErrnoException) => {
    const clientGone = err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ERR_STREAM_PREMATURE_CLOSE';
    if (clientGone) logger.debug({ err }, 'client closed the connection early');
    else logger.error({ err }, 'response stream failed');
  });

  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } catch (err) {
      logger.error({ err, method: ctx.method, url: ctx.url }, 'request failed');
      ctx.status = 500;
      ctx.type = 'text/plain';
      ctx.body = 'internal error';
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.httpDuration.observe({ method: ctx.method, route: String(route), status: String(ctx.status) }, seconds);
    }
  });

  const security = new SecurityLayer(gw.config, { recordRefusal: (failure) => gw.audit.trail.refusedAuthentication(failure) });
  app.use(authenticationMiddleware(security, PROTECTED_PATHS, refusalResponder(PROTECTED_PATHS.isSoap)));
  app.use(mhdRoutes(gw, logger, fhirOptions));
  const soapSecurity = { authenticator: new SoapAuthentication(security), policy: security.policy };
  for (const soap of [xdsRouter(gw, soapSecurity, logger), xcaRouter(gw, soapSecurity, logger)]) app.use(soap.routes()).use(soap.allowedMethods());

  const portal = parsePortalConfig(process.env, gw.config.security.oauth, gw.config.workers);
  if (portal) {
    const communityName = (id: string) => gw.communities.directory.get(id)?.name;
    const router = portalRouter(portal, { audit: gw.audit.trail, registry: gw.registry, security, communityName }, logger);
    app.use(router.routes()).use(router.allowedMethods());
  }

  const router = new Router();
  router.get('/health', async (ctx) => {
    const report = await healthReport(gw);
    ctx.status = report.status === 'down' ? 503 : 200;
    ctx.body = report;
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  app.use(router.routes()).use(router.allowedMethods());
  const attach = (server: http.Server) => attachSubscriptionSockets(server, `${FHIR_PATH}${SUBSCRIPTION_WS_PATH}`, gw.subscriptions, logger);
  return { app, metrics, security, attach };
}
