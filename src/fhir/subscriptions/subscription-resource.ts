/**
 * FHIR R4 Subscription (backport profile) <-> the core's subscription: topic from `criteria`,
 * filter from the backport-filter-criteria extension, channel settings from the backport's
 * channel extensions. What the core keeps as `resource` is the Subscription as accepted; a
 * read answers it with the current id and status.
 */
import { topicByUrl, type ChannelType, type PayloadContent, type SubscriptionRecord } from '../../domain/subscription';
import type { NewSubscription } from '../../subscriptions/subscriptions';
import { FhirHttpError } from '../http/http-error';
import type { SearchContext } from '../mhd/search/context';
import { Backport, MQTT_CHANNEL } from './backport';
import { parseFilterCriteria } from './filter-criteria';

type Json = Record<string, unknown>;
type Extension = { url?: unknown; [value: string]: unknown };

const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 60;
const MAX_COUNT_LIMIT = 100;

function invalid(diagnostics: string, expression: string): FhirHttpError {
  return FhirHttpError.of(400, 'invalid', diagnostics, expression);
}

const asObject = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

function extensionsOf(element: unknown): Extension[] {
  const list = asObject(element)?.extension;
  return Array.isArray(list) ? (list.filter((e) => asObject(e)) as Extension[]) : [];
}

function extensionValue(element: unknown, url: string, key: string): unknown {
  return extensionsOf(element).find((e) => e.url === url)?.[key];
}

function wholeNumber(value: unknown, expression: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(`must be a whole number from ${min} to ${max}`, expression);
  return value;
}

function channelTypeOf(channel: Json): ChannelType {
  const extended = asObject(extensionValue(channel._type, Backport.channelType, 'valueCoding'));
  if (extended) {
    if (extended.code === MQTT_CHANNEL.code && (extended.system === undefined || extended.system === MQTT_CHANNEL.system)) return 'mqtt';
    throw invalid(`channel type ${String(extended.system)}|${String(extended.code)} is not supported (rest-hook, websocket, or ${MQTT_CHANNEL.system}|mqtt)`, 'Subscription.channel.type');
  }
  if (channel.type === 'rest-hook' || channel.type === 'websocket') return channel.type;
  throw invalid(`channel type ${String(channel.type)} is not supported (rest-hook, websocket, or ${MQTT_CHANNEL.system}|mqtt through ${Backport.channelType})`, 'Subscription.channel.type');
}

function payloadContentOf(channel: Json): PayloadContent {
  const content = extensionValue(channel._payload, Backport.payloadContent, 'valueCode') ?? 'id-only';
  if (content === 'empty' || content === 'id-only' || content === 'full-resource') return content;
  throw invalid(`payload content ${String(content)} is not empty, id-only or full-resource`, 'Subscription.channel.payload');
}

/** The core's view of a posted Subscription; bad input is a 400 naming the element. */
export function readSubscription(body: Json, ctx: SearchContext, fhirBase: string): NewSubscription {
  if (body.resourceType !== 'Subscription') throw invalid('the body is not a Subscription', 'Subscription');
  const criteria = body.criteria;
  const topic = typeof criteria === 'string' ? topicByUrl(criteria) : undefined;
  if (!topic) throw invalid(`criteria must be the canonical URL of a topic this server offers (see ${fhirBase}/metadata), got ${String(criteria)}`, 'Subscription.criteria');
  const filterCriteria = extensionsOf(body._criteria).filter((e) => e.url === Backport.filterCriteria).map((e) => e.valueString);
  if (filterCriteria.some((c) => typeof c !== 'string')) throw invalid('filter criteria must be strings', 'Subscription.criteria');
  if (filterCriteria.length > 1) throw invalid('one filter criteria extension per subscription', 'Subscription.criteria');
  const filter = parseFilterCriteria((filterCriteria[0] as string | undefined) ?? '', topic, ctx);
  const channel = asObject(body.channel);
  if (!channel) throw invalid('channel is required', 'Subscription.channel');
  const type = channelTypeOf(channel);
  const headers = channel.header === undefined ? [] : channel.header;
  if (!Array.isArray(headers) || headers.some((h) => typeof h !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/.test(h))) {
    throw invalid('each header must be "Name: value" on one line', 'Subscription.channel.header');
  }
  if (channel.payload !== undefined && channel.payload !== 'application/fhir+json' && channel.payload !== 'application/json') {
    throw invalid('notifications are sent as application/fhir+json', 'Subscription.channel.payload');
  }
  const end = body.end;
  if (end !== undefined && (typeof end !== 'string' || Number.isNaN(Date.parse(end)))) throw invalid('end must be an instant', 'Subscription.end');
  return {
    topic,
    filter,
    channel: {
      type,
      ...(typeof channel.endpoint === 'string' ? { endpoint: channel.endpoint } : {}),
      headers: headers as string[],
      payload: payloadContentOf(channel),
      heartbeatSeconds: wholeNumber(extensionValue(channel, Backport.heartbeatPeriod, 'valueUnsignedInt'), 'Subscription.channel.extension:heartbeatPeriod', 0, 86_400) ?? 0,
      timeoutSeconds: wholeNumber(extensionValue(channel, Backport.timeout, 'valueUnsignedInt'), 'Subscription.channel.extension:timeout', 1, MAX_TIMEOUT_SECONDS) ?? DEFAULT_TIMEOUT_SECONDS,
      maxCount: wholeNumber(extensionValue(channel, Backport.maxCount, 'valuePositiveInt'), 'Subscription.channel.extension:maxCount', 1, MAX_COUNT_LIMIT) ?? 1,
    },
    resource: body,
    fhirBase,
    ...(typeof end === 'string' ? { endsAt: new Date(end).toISOString() } : {}),
  };
}

/** The Subscription as the server holds it now. */
export function subscriptionResource(s: SubscriptionRecord): Json {
  const { meta: _meta, id: _id, status: _status, error: _error, ...rest } = s.resource;
  return {
    resourceType: 'Subscription',
    id: s.id,
    meta: { profile: [Backport.subscriptionProfile] },
    ...rest,
    status: s.status,
    ...(s.error ? { error: s.error } : {}),
  };
}
