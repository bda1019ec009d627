/**
 * The gateway as an Audit Record Repository over FHIR:
 *
 *   POST /fhir/AuditEvent               ITI-20 RESTful: store an event another actor sends (201 + Location)
 *   GET  /fhir/AuditEvent[/_search]     ITI-81 Retrieve ATNA Audit Event (POST for _search)
 *   GET  /fhir/AuditEvent/{id}          read
 *
 * Received events are stored beside our own but not forwarded: the sender delivers to
 * its own repositories, and two gateways configured as each other's FHIR repository
 * would otherwise pass every event back and forth for ever.
 *
 * ITI-81 reads are themselves audited (ATC_LOG_READ, via the ITI-81 transaction); a
 * patient-context principal sees only events about its own patient: the audit layer
 * (AuditTrail.searchFor / readFor) applies that and writes the read's record.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../audit/fhir-audit-event';
import { searchsetBundle } from '../mhd/search/bundle';
import { pageLinks } from '../mhd/search/paging';
import type { AuditedHandler } from '../http/audit';
import { parseAuditSearch } from './audit-event-search';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import { sentParameters, strictHandling } from '../http/search-resources';
import { mhdRequest, routeParam, type MhdHandler } from '../http/services';

const OUTCOMES = new Set(['0', '4', '8', '12']);

/** The elements the store and the ITI-81 search rely on; anything else is kept as sent. */
function checkAuditEvent(body: Record<string, unknown>): AuditEvent {
  if (body.resourceType !== 'AuditEvent') throw FhirHttpError.of(400, 'invalid', `POST AuditEvent takes an AuditEvent, not a ${String(body.resourceType)}`);
  const fail = (path: string, what: string): never => {
    throw FhirHttpError.of(400, 'required', `AuditEvent.${path} ${what}`, `AuditEvent.${path}`);
  };
  const type = body.type as { code?: unknown } | undefined;
  if (typeof type?.code !== 'string') fail('type', 'must be a Coding with a code');
  if (typeof body.recorded !== 'string' || Number.isNaN(Date.parse(body.recorded))) fail('recorded', 'must be an instant');
  if (!Array.isArray(body.agent) || body.agent.length === 0) fail('agent', 'must name at least one agent');
  if (typeof body.source !== 'object' || body.source === null || !('observer' in body.source)) fail('source', 'must have an observer');
  if (body.outcome !== undefined && !OUTCOMES.has(String(body.outcome))) fail('outcome', 'must be 0, 4, 8 or 12');
  return body as AuditEvent;
}

export const createAuditEvent: MhdHandler = async (ctx, services) => {
  const req = mhdRequest(ctx, services);
  const received = checkAuditEvent(await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits));
  // The server assigns the id on create (FHIR R4 http.html#create); a client's id could collide.
  const event: AuditEvent = { ...received, id: randomUUID() };
  await services.audit.receive(event);
  ctx.set('Location', `${req.base}/AuditEvent/${event.id}`);
  sendResource(ctx, 201, event);
};

function searchHandler(withForm: boolean): AuditedHandler {
  return async (ctx, services, audit) => {
    const req = mhdRequest(ctx, services);
    const params = await sentParameters(ctx, withForm);
    audit.note({ query: { text: new URLSearchParams(params).toString() } });
    const search = parseAuditSearch(params, strictHandling(ctx), req.mapping);
    // Reading the log adds to it (this read's own record, others' work): the first page
    // pins the end of the search, and its links carry that bound, so pages don't shift.
    if (search.query.offset === 0) {
      const now = new Date().toISOString();
      if (search.query.to === undefined || now < search.query.to) search.query.to = now;
      search.linkParams.push(['date', `lt${now}`]);
    }
    const patient = search.query.patient?.[0];
    if (patient?.length === 1) audit.note({ patientId: patient[0]! });
    // The audit layer limits the search to what the caller may see and records it before answering.
    const result = await services.audit.searchFor(req.principal, search.query, audit);
    const bundle = searchsetBundle({
      base: req.base,
      total: result.total,
      links: pageLinks(`${req.base}/AuditEvent`, search.linkParams, { count: search.query.count, offset: search.query.offset }, result.total),
      resources: result.events,
      issues: search.warnings,
    });
    sendResource(ctx, 200, bundle);
  };
}

export const searchAuditEvents = searchHandler(false);
export const searchAuditEventsByPost = searchHandler(true);

export const readAuditEvent: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const event = await services.audit.readFor(req.principal, id, audit);
  // Another patient's event is answered exactly like an unknown one.
  if (!event) throw FhirHttpError.of(404, 'not-found', `AuditEvent/${id} is not known`);
  sendResource(ctx, 200, event);
};
