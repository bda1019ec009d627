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
 *   POST   /fhir/Patient/$ncp-identify          a foreign patient identified at their country's NCP (XCPD, fhir/ncpeh)
 *   POST   /fhir/AuditEvent                     ITI-20 RESTful (store another actor's event)
 *   GET    /fhir/AuditEvent[/_search]           ITI-81 Retrieve ATNA Audit Event (POST for _search), read by id
 *   POST, GET, DELETE /fhir/Subscription[/{id}]  DSUBm ITI-110 create/delete, ITI-113 search/read
 *   GET /fhir/Subscription/{id}/$status, $events; POST …/$get-ws-binding-token  ITI-114
 *   POST, GET, PUT /fhir/MedicationRequest…, POST /fhir/MedicationDispense
 *                                                eRecept bridge to SÚKL's CÚER (fhir/erecept/erecept-handlers.ts)
 *
 * The transactions and their routes are read from their descriptors (src/transactions); HANDLERS
 * below pairs each route with its handler by name, the one place in this front end that does
 * (a FHIR descriptor whose routes lack a handler here does not compile). Every route checks the
 * caller's grants for the route's access; every audited route is wrapped with audited()
 * (http/audit.ts): its record, success or failure, is written before the response goes out.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import type Koa from 'koa';
import type { AuditTransaction } from '../audit/transactions';
import type { Gateway } from '../gateway';
import type { Logger } from '../logger';
import { authorize } from '../security/authorize';
import { fhirTransactions, type Access, type FhirRoutesOf, type FhirTransactionId } from '../transactions';
import { capabilityStatement } from './capability-statement';
import { audited, type AuditedHandler } from './http/audit';
import { createAuditEvent, readAuditEvent, searchAuditEvents, searchAuditEventsByPost } from './atna/audit-events';
import { ereceptHandlers } from './erecept/erecept-handlers';
import { fhirErrors } from './http/error-handler';
import { FHIR_PATH, isFhirPath } from './http/fhir-base';
import { FhirHttpError } from './http/http-error';
import { ncpIdentify } from './ncpeh/ncp-identify';
import { putPatient, readPatient, searchPatient } from './pixm/patient-feed';
import { provideDocumentBundle } from './mhd/provide-document-bundle';
import { sendResource } from './http/respond';
import { refuseUnstorableUrl } from './http/unstorable-text';
import { retrieveDocument } from './mhd/retrieve-document';
import { searchHandlers } from './http/search-resources';
import { subscriptionHandlers } from './subscriptions/subscription-handlers';
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

/** A route's handler: audited routes get the request's audit scope, the others (audited: false) do not. */
type HandlerOf<R> = R extends { audited: false } ? MhdHandler : AuditedHandler;

/** The handler of every route of every FHIR transaction, by the name its descriptor gives it. */
type FhirHandlers = { [K in FhirTransactionId]: { [R in FhirRoutesOf<K> as R['handler']]: HandlerOf<R> } };

const HANDLERS: FhirHandlers = {
  'ITI-65': { provide: provideDocumentBundle },
  'ITI-68': { retrieve: retrieveDocument },
  'ITI-67': searchHandlers('DocumentReference'),
  'ITI-66': searchHandlers('List'),
  'ITI-104': { feed: putPatient, search: searchPatient, read: readPatient },
  'ITI-20': { create: createAuditEvent },
  'ITI-81': { search: searchAuditEvents, searchByPost: searchAuditEventsByPost, read: readAuditEvent },
  ...ereceptHandlers,
  'NCP-IDENTIFY': { identify: ncpIdentify },
  ...subscriptionHandlers,
};

/** The handler, run only once the caller's grants cover `access` (403 otherwise, see security/authorize.ts). */
function permitted(access: readonly Access[], handler: AuditedHandler): AuditedHandler {
  return async (ctx, services, audit) => {
    authorize(mhdRequest(ctx, services).principal, access, services.accessPolicy);
    await handler(ctx, services, audit);
  };
}

export function mhdRoutes(gw: Gateway, logger: Logger, options: MhdOptions = {}): Koa.Middleware {
  const services = mhdServices(gw, options);
  // Notifications are rendered by this front end: delivery starts once it exists.
  gw.subscriptions.startDelivery(services.notifications);
  const router = new Router({ prefix: FHIR_PATH });
  const on = (handler: MhdHandler): RouterMiddleware => (ctx) => handler(ctx as unknown as Koa.Context, services);

  router.get('/metadata', on(async (ctx) => sendResource(ctx, 200, capabilityStatement(mhdRequest(ctx, services).base, services.erecept !== undefined, services.ncpeh !== undefined))));
  for (const descriptor of fhirTransactions()) {
    const handlers = HANDLERS[descriptor.id] as Record<string, AuditedHandler>;
    for (const route of descriptor.fhir) {
      const handler = permitted(route.access, handlers[route.handler]!);
      let middleware: RouterMiddleware;
      if (route.audited === false) {
        // An unaudited route's handler is an MhdHandler: it takes no scope.
        middleware = on((ctx, s) => handler(ctx, s, undefined as never));
      } else {
        if (!descriptor.audit) throw new Error(`${descriptor.id} ${route.method} ${route.path}: an audited route of a transaction with no audit shape`);
        // The access check runs inside the audit wrapper, so a refused request is recorded as the transaction it tried to be.
        middleware = on(audited(descriptor.id as AuditTransaction, handler, logger));
      }
      if (route.method === 'GET') router.get(route.path, middleware);
      else if (route.method === 'POST') router.post(route.path, middleware);
      else if (route.method === 'DELETE') router.delete(route.path, middleware);
      else router.put(route.path, middleware);
    }
  }

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
