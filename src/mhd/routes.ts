/**
 * The MHD (FHIR R4) endpoint at /fhir: which interaction each method and path is. Every
 * request under /fhir gets an OperationOutcome on failure, including unknown paths (404)
 * and known paths with another method (405 with Allow). Requests elsewhere pass through.
 *
 *   POST   /fhir                                ITI-65 Provide Document Bundle
 *   GET    /fhir/metadata                       CapabilityStatement
 *   GET    /fhir/Binary/{documentUniqueId}      ITI-68 Retrieve Document (HEAD too)
 *   GET    /fhir/DocumentReference[/_search]    ITI-67 (POST for _search), read by id
 *   GET    /fhir/List[/_search]                 ITI-66 (POST for _search), read by id
 *   PUT    /fhir/Patient?identifier=s|v         ITI-104 Patient Identity Feed; read, search by identifier
 *   POST   /fhir/AuditEvent                     ITI-20 RESTful (store another actor's event)
 *   GET    /fhir/AuditEvent[/_search]           ITI-81 Retrieve ATNA Audit Event (POST for _search), read by id
 *
 * Every IHE transaction is wrapped with audited() (http/audit.ts): its record, success
 * or failure, is written before the response goes out.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import type Koa from 'koa';
import type { AuditTransaction } from '../audit/transactions';
import type { Gateway } from '../gateway';
import type { Logger } from '../logger';
import { capabilityStatement } from './capability-statement';
import { audited, type AuditedHandler } from './http/audit';
import { createAuditEvent, readAuditEvent, searchAuditEvents, searchAuditEventsByPost } from './http/audit-events';
import { fhirErrors } from './http/error-handler';
import { FHIR_PATH } from './http/fhir-base';
import { FhirHttpError } from './http/http-error';
import { putPatient, readPatient, searchPatient } from './http/patient-feed';
import { provideDocumentBundle } from './http/provide-document-bundle';
import { sendResource } from './http/respond';
import { retrieveDocument } from './http/retrieve-document';
import { searchHandlers } from './http/search-resources';
import { mhdRequest, mhdServices, type MhdHandler, type MhdOptions } from './http/services';

export type { MhdOptions } from './http/services';

/** Path-matched routes (set by @koa/router) with the methods they take. */
function unmatched(ctx: Koa.Context): never {
  const matched = ((ctx as unknown as { matched?: Array<{ methods: string[] }> }).matched ?? []).filter((l) => l.methods.length > 0);
  if (matched.length > 0) {
    const allow = [...new Set(matched.flatMap((l) => l.methods))].join(', ');
    throw new FhirHttpError(405, [{ severity: 'error', code: 'not-supported', diagnostics: `${ctx.method} is not supported on ${ctx.path}; allowed: ${allow}` }], { Allow: allow });
  }
  throw FhirHttpError.of(404, 'not-found', `${ctx.path} is not an interaction of this MHD endpoint (see ${FHIR_PATH}/metadata)`);
}

export function mhdRoutes(gw: Gateway, logger: Logger, options: MhdOptions = {}): Koa.Middleware {
  const services = mhdServices(gw, options);
  const router = new Router({ prefix: FHIR_PATH });
  const on = (handler: MhdHandler): RouterMiddleware => (ctx) => handler(ctx as unknown as Koa.Context, services);
  const onAudited = (transaction: AuditTransaction, handler: AuditedHandler) => on(audited(transaction, handler, logger));

  router.post('/', onAudited('ITI-65', provideDocumentBundle));
  router.get('/metadata', on(async (ctx) => sendResource(ctx, 200, capabilityStatement(mhdRequest(ctx, services).base))));
  router.get('/Binary/:id', onAudited('ITI-68', retrieveDocument));
  for (const [type, transaction] of [['DocumentReference', 'ITI-67'], ['List', 'ITI-66']] as const) {
    const h = searchHandlers(type);
    router.get(`/${type}`, onAudited(transaction, h.search));
    router.post(`/${type}/_search`, onAudited(transaction, h.searchByPost));
    router.get(`/${type}/:id`, onAudited(transaction, h.read));
  }
  router.put('/Patient', onAudited('ITI-104', putPatient));
  router.get('/Patient', on(searchPatient));
  router.get('/Patient/:id', on(readPatient));
  router.post('/AuditEvent', on(createAuditEvent));
  router.get('/AuditEvent', onAudited('ITI-81', searchAuditEvents));
  router.post('/AuditEvent/_search', onAudited('ITI-81', searchAuditEventsByPost));
  router.get('/AuditEvent/:id', onAudited('ITI-81', readAuditEvent));

  const dispatch = router.routes();
  const withErrors = fhirErrors(logger);
  return async (ctx, next) => {
    if (ctx.path !== FHIR_PATH && !ctx.path.startsWith(`${FHIR_PATH}/`)) return next();
    await withErrors(ctx, () => dispatch(ctx as never, async () => unmatched(ctx)));
  };
}
