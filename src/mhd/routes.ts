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
import { FHIR_PATH, isFhirPath } from './http/fhir-base';
import { FhirHttpError } from './http/http-error';
import { putPatient, readPatient, searchPatient } from './http/patient-feed';
import { provideDocumentBundle } from './http/provide-document-bundle';
import { sendResource } from './http/respond';
import { refuseUnstorableUrl } from './http/unstorable-text';
import { retrieveDocument } from './http/retrieve-document';
import { searchHandlers } from './http/search-resources';
import { mhdRequest, mhdServices, type MhdHandler, type MhdOptions, type MhdServices } from './http/services';
import { ACCESS, type AccessName } from '../security/access-table';
import { authorize } from '../security/authorize';

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

/** The handler, run only once the caller's grants cover `access` (403 otherwise, see security/authorize.ts). */
function permitted<H extends (ctx: Koa.Context, services: MhdServices, ...rest: never[]) => Promise<void>>(access: AccessName, handler: H): H {
  return (async (ctx: Koa.Context, services: MhdServices, ...rest: never[]) => {
    authorize(mhdRequest(ctx, services).principal, ACCESS[access], services.accessPolicy);
    await handler(ctx, services, ...rest);
  }) as H;
}

export function mhdRoutes(gw: Gateway, logger: Logger, options: MhdOptions = {}): Koa.Middleware {
  const services = mhdServices(gw, options);
  const router = new Router({ prefix: FHIR_PATH });
  const on = (handler: MhdHandler): RouterMiddleware => (ctx) => handler(ctx as unknown as Koa.Context, services);
  // The access check runs inside the audit wrapper, so a refused request is recorded as the transaction it tried to be.
  const onAudited = (transaction: AuditTransaction, access: AccessName, handler: AuditedHandler) =>
    on(audited(transaction, permitted(access, handler), logger));
  const onPermitted = (access: AccessName, handler: MhdHandler) => on(permitted(access, handler));

  router.post('/', onAudited('ITI-65', 'provideBundle', provideDocumentBundle));
  router.get('/metadata', on(async (ctx) => sendResource(ctx, 200, capabilityStatement(mhdRequest(ctx, services).base))));
  router.get('/Binary/:id', onAudited('ITI-68', 'retrieveDocument', retrieveDocument));
  const searches = [
    ['DocumentReference', 'ITI-67', 'searchDocuments', 'readDocumentReference'],
    ['List', 'ITI-66', 'searchLists', 'readList'],
  ] as const;
  for (const [type, transaction, search, read] of searches) {
    const h = searchHandlers(type);
    router.get(`/${type}`, onAudited(transaction, search, h.search));
    router.post(`/${type}/_search`, onAudited(transaction, search, h.searchByPost));
    router.get(`/${type}/:id`, onAudited(transaction, read, h.read));
  }
  router.put('/Patient', onAudited('ITI-104', 'feedPatient', putPatient));
  router.get('/Patient', onPermitted('searchPatients', searchPatient));
  router.get('/Patient/:id', onPermitted('readPatient', readPatient));
  router.post('/AuditEvent', onPermitted('createAuditEvent', createAuditEvent));
  router.get('/AuditEvent', onAudited('ITI-81', 'searchAuditEvents', searchAuditEvents));
  router.post('/AuditEvent/_search', onAudited('ITI-81', 'searchAuditEvents', searchAuditEventsByPost));
  router.get('/AuditEvent/:id', onAudited('ITI-81', 'readAuditEvent', readAuditEvent));

  const dispatch = router.routes();
  const withErrors = fhirErrors(logger);
  return async (ctx, next) => {
    if (!isFhirPath(ctx.path)) return next();
    await withErrors(ctx, async () => {
      // Before any handler: text the store cannot keep never reaches a query or an audit record.
      refuseUnstorableUrl(ctx);
      await dispatch(ctx as never, async () => unmatched(ctx));
    });
  };
}
