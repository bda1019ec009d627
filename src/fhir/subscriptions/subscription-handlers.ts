/**
 * DSUBm's Resource Notification Broker over FHIR: ITI-110 (create, delete), ITI-113 (search,
 * read) and ITI-114 ($status, $events, $get-ws-binding-token) on /fhir/Subscription. The
 * core (subscriptions/) decides who may do what; a subscription of someone else reads as
 * unknown (404), never as forbidden.
 */
import type Koa from 'koa';
import { InvalidSubscription, type SubscriptionRecord } from '../../domain/subscription';
import type { AuditScope } from '../../audit/audit-scope';
import type { AuditedHandler } from '../http/audit';
import { FhirHttpError } from '../http/http-error';
import { BODY_LIMITS } from '../http/limits';
import { readResourceBody } from '../http/request-body';
import { sendResource } from '../http/respond';
import { mhdRequest, routeParam } from '../http/services';
import { searchContext } from '../mhd/search/context';
import { subscriptionStatus } from './notification-bundle';
import { readSubscription, subscriptionResource } from './subscription-resource';

function notFound(id: string): FhirHttpError {
  return FhirHttpError.of(404, 'not-found', `Subscription/${id} is not known`);
}

function asBadRequest(err: unknown): never {
  if (err instanceof InvalidSubscription) throw FhirHttpError.of(400, 'invalid', err.message, err.field);
  throw err;
}

async function noted(audit: AuditScope, s: SubscriptionRecord): Promise<void> {
  audit.note({ resource: `Subscription/${s.id}`, ...(s.filter.patientId ? { patientId: s.filter.patientId } : {}) });
  await audit.succeeded();
}

const create: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const body = await readResourceBody(ctx, BODY_LIMITS.resource, services.inputLimits);
  const input = readSubscription(body, searchContext({ registry: services.registry, mapping: req.mapping }), req.base);
  if (input.filter.patientId) audit.note({ patientId: input.filter.patientId });
  const created = await services.subscriptions.create(req.principal, input).catch(asBadRequest);
  await noted(audit, created);
  ctx.set('Location', `${req.base}/Subscription/${created.id}`);
  sendResource(ctx, 201, subscriptionResource(created));
};

const remove: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const s = await services.subscriptions.get(req.principal, id);
  if (!s || !(await services.subscriptions.remove(req.principal, id))) throw notFound(id);
  audit.note({ action: 'D' });
  await noted(audit, s);
  ctx.status = 204;
};

const read: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  audit.note({ interaction: 'read' });
  const s = await services.subscriptions.get(req.principal, id);
  if (!s) throw notFound(id);
  await noted(audit, s);
  sendResource(ctx, 200, subscriptionResource(s));
};

/** The caller's own subscriptions; `_id`, `status` and `url` (topic) narrow them. */
const search: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const known = new Set(['_id', 'status', 'url', 'criteria', '_format']);
  const unknown = Object.keys(ctx.query).filter((k) => !known.has(k));
  if (unknown.length > 0) throw FhirHttpError.of(400, 'not-supported', `Subscription search supports _id, status and url, not ${unknown.join(', ')}`);
  const one = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string).split(',') : undefined);
  const ids = one('_id');
  const statuses = one('status');
  const topics = one('url') ?? one('criteria');
  const found = (await services.subscriptions.list(req.principal)).filter(
    (s) => (!ids || ids.includes(s.id)) && (!statuses || statuses.includes(s.status)) && (!topics || topics.includes(s.topic.url)),
  );
  await audit.succeeded();
  sendResource(ctx, 200, {
    resourceType: 'Bundle',
    type: 'searchset',
    total: found.length,
    link: [{ relation: 'self', url: `${req.base}/Subscription${ctx.querystring ? `?${ctx.querystring}` : ''}` }],
    entry: found.map((s) => ({ fullUrl: `${req.base}/Subscription/${s.id}`, resource: subscriptionResource(s), search: { mode: 'match' } })),
  });
};

/** $status: a searchset of one SubscriptionStatus (type query-status). */
const status: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const found = await services.subscriptions.status(req.principal, id);
  if (!found) throw notFound(id);
  await noted(audit, found.subscription);
  const parameters = subscriptionStatus({ subscription: found.subscription, type: 'query-status', events: [], eventsSinceStart: found.subscription.eventsSinceStart }, false);
  sendResource(ctx, 200, { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ fullUrl: `urn:uuid:${String(parameters.id)}`, resource: parameters, search: { mode: 'match' } }] });
};

function eventNumber(ctx: Koa.Context, name: string): number | undefined {
  const raw = ctx.query[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw FhirHttpError.of(400, 'invalid', `${name} must be an event number (1 or more)`, name);
  return n;
}

/** $events: the recorded events eventsSinceNumber..eventsUntilNumber as a query-event notification. */
const events: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const from = eventNumber(ctx, 'eventsSinceNumber') ?? 1;
  const to = eventNumber(ctx, 'eventsUntilNumber');
  const content = ctx.query.content;
  if (content !== undefined && content !== 'empty' && content !== 'id-only' && content !== 'full-resource') throw FhirHttpError.of(400, 'invalid', 'content is empty, id-only or full-resource', 'content');
  const found = await services.subscriptions.events(req.principal, id, from, to);
  if (!found) throw notFound(id);
  await noted(audit, found.subscription);
  const bundle = await services.notifications.render({
    subscription: found.subscription,
    type: 'query-event',
    events: found.events,
    eventsSinceStart: found.subscription.eventsSinceStart,
    ...(content ? { content } : {}),
  });
  sendResource(ctx, 200, bundle);
};

/** $get-ws-binding-token: Parameters token, expiration, subscription, websocket-url. */
const wsToken: AuditedHandler = async (ctx, services, audit) => {
  const req = mhdRequest(ctx, services);
  const id = routeParam(ctx, 'id');
  const issued = await services.subscriptions.wsToken(req.principal, id).catch(asBadRequest);
  if (!issued) throw notFound(id);
  await noted(audit, issued.subscription);
  const ws = req.base.replace(/^http/, 'ws');
  sendResource(ctx, 200, {
    resourceType: 'Parameters',
    parameter: [
      { name: 'token', valueString: issued.token },
      { name: 'expiration', valueDateTime: issued.expiresAt.toISOString() },
      { name: 'subscription', valueString: `${req.base}/Subscription/${id}` },
      { name: 'websocket-url', valueUrl: `${ws}/$subscription-ws` },
    ],
  });
};

export const subscriptionHandlers = {
  'ITI-110': { create, remove },
  'ITI-113': { search, read },
  'ITI-114': { status, events, wsToken },
} as const;

/** Where the FHIR websocket channel listens, below the FHIR base. */
export const SUBSCRIPTION_WS_PATH = '/$subscription-ws';

