// Subscribers the subscription tests start: a rest-hook receiver (HTTP on loopback) that can be
// told to fail, and helpers to read the backport notification Bundles they get.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBSCRIPTION_TOPICS } from '../../src/domain/subscription';
import type { Json } from '../fhir/http/support';

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

export const TOPIC = {
  documentOfPatient: SUBSCRIPTION_TOPICS[0]!.url,
  documentAnyPatient: SUBSCRIPTION_TOPICS[1]!.url,
  documentOrChangeOfPatient: SUBSCRIPTION_TOPICS[2]!.url,
  submissionSetOfPatient: SUBSCRIPTION_TOPICS[4]!.url,
};

export interface Received {
  headers: http.IncomingHttpHeaders;
  bundle: Json;
}

export interface RestHookReceiver {
  url: string;
  received: Received[];
  /** Answer this status (e.g. 500) instead of 200, until set back to 200. */
  answer: number;
  /** Wait this long before answering (a slow subscriber keeps notifications owed). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<RestHookReceiver> {
  const receiver = { received: [] as Received[], answer: 200, delayMs: 0 } as RestHookReceiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = () => {
        if (receiver.answer === 200) receiver.received.push({ headers: req.headers, bundle: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json });
        res.statusCode = receiver.answer;
        res.end();
      };
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  receiver.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return receiver;
}

export interface SubscriptionOptions {
  topic: string;
  filter?: string;
  channel: 'rest-hook' | 'websocket' | 'mqtt';
  endpoint?: string;
  payload?: 'empty' | 'id-only' | 'full-resource';
  headers?: string[];
  heartbeatSeconds?: number;
  maxCount?: number;
}

export function subscriptionResource(o: SubscriptionOptions): Json {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'test',
    criteria: o.topic,
    ...(o.filter ? { _criteria: { extension: [{ url: `${BACKPORT}backport-filter-criteria`, valueString: o.filter }] } } : {}),
    channel: {
      ...(o.heartbeatSeconds || o.maxCount ? { extension: [
        ...(o.heartbeatSeconds ? [{ url: `${BACKPORT}backport-heartbeat-period`, valueUnsignedInt: o.heartbeatSeconds }] : []),
        ...(o.maxCount ? [{ url: `${BACKPORT}backport-max-count`, valuePositiveInt: o.maxCount }] : []),
      ] } : {}),
      type: o.channel === 'mqtt' ? 'message' : o.channel,
      ...(o.channel === 'mqtt' ? { _type: { extension: [{ url: `${BACKPORT}backport-channel-type`, valueCoding: { system: 'urn:hie-gateway:subscription-channel-type', code: 'mqtt' } }] } } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: `${BACKPORT}backport-payload-content`, valueCode: o.payload ?? 'id-only' }] },
      ...(o.headers ? { header: o.headers } : {}),
    },
  };
}

/** The SubscriptionStatus parameters of a notification Bundle. */
export function statusOf(bundle: Json): { type: string; status: string; events: Array<{ number: number; focus?: string }> } {
  const params = bundle.entry[0].resource.parameter as Json[];
  const value = (name: string) => params.find((p) => p.name === name);
  return {
    type: value('type')!.valueCode,
    status: value('status')!.valueCode,
    events: params.filter((p) => p.name === 'notification-event').map((p) => ({
      number: Number(p.part.find((x: Json) => x.name === 'event-number').valueString),
      focus: p.part.find((x: Json) => x.name === 'focus')?.valueReference.reference,
    })),
  };
}

/** Events of event notifications, in the order received. */
export function eventsOf(bundles: readonly Json[]): Array<{ number: number; focus?: string }> {
  return bundles.map(statusOf).filter((s) => s.type === 'event-notification').flatMap((s) => s.events);
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
