/**
 * DSUBm subscriptions: the core the FHIR front end calls (ITI-110, 113, 114) and the observer
 * the registry tells of its changes. Access rules live here, not in the front end:
 * - a subscription belongs to its creator's Principal (subject); nobody else reads, lists,
 *   deletes or binds it;
 * - a patient-context principal subscribes only to its own patient;
 * - a multi-patient subscription (no patient in the filter) needs a principal bound to no
 *   patient and, when it came with a token, a `system/` scope: a machine client of a
 *   system, not a user's app (multiPatientAllowed).
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { AccessDeniedError } from '../domain/access-denied';
import { reachesPatient, type Principal } from '../domain/principal';
import { InvalidSubscription, type SubscriptionEvent, type SubscriptionRecord } from '../domain/subscription';
import type { ChangeObserver } from '../registry/ports';
import type { SubscriptionsConfig } from '../subscriptions-config';
import type { SubscriptionDelivery } from './delivery';
import type { NotificationRenderer } from './notification';
import type { SubscriptionStore } from './ports';
import type { BoundSocket, WebsocketHub } from './websocket-hub';
import { checkWsToken, issueWsToken } from './ws-token';

export type NewSubscription = Omit<SubscriptionRecord, 'id' | 'owner' | 'status' | 'eventsSinceStart' | 'error'>;

const LIST_LIMIT = 1000;
const EVENTS_LIMIT = 1000;

export function multiPatientAllowed(principal: Principal): boolean {
  if (principal.patientId !== undefined) return false;
  return principal.scopes === undefined || principal.scopes.some((s) => s.startsWith('system/'));
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

function checkEndpoint(endpoint: string | undefined): void {
  let url: URL;
  try {
    url = new URL(endpoint ?? '');
  } catch {
    throw new InvalidSubscription('a rest-hook channel needs an absolute endpoint URL', 'Subscription.channel.endpoint');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  throw new InvalidSubscription('a rest-hook endpoint must be https (http only on loopback)', 'Subscription.channel.endpoint');
}

export class Subscriptions {
  constructor(
    private readonly store: SubscriptionStore,
    readonly delivery: SubscriptionDelivery,
    private readonly sockets: WebsocketHub,
    private readonly config: SubscriptionsConfig,
  ) {}

  /** What the registry tells of its changes. */
  observer(): ChangeObserver {
    return {
      rowsFor: (changes) => this.store.eventRows(changes),
      recordIn: (tx, changed) => this.store.recordUpdates(tx, changed),
      committed: () => this.delivery.wake(),
    };
  }

  startDelivery(renderer: NotificationRenderer): void {
    this.delivery.start(renderer);
  }

  get mqttTopicPrefix(): string | undefined {
    return this.config.mqtt?.topicPrefix;
  }

  async create(principal: Principal, input: NewSubscription): Promise<SubscriptionRecord> {
    const patientId = input.filter.patientId;
    if (input.topic.patientDependent && !patientId) throw new InvalidSubscription(`topic ${input.topic.url} needs a patient in the filter criteria`, 'Subscription.criteria');
    if (!input.topic.patientDependent && patientId) throw new InvalidSubscription(`topic ${input.topic.url} is multi-patient: its filter criteria name no patient`, 'Subscription.criteria');
    if (patientId === undefined && !multiPatientAllowed(principal)) {
      throw new AccessDeniedError(`${principal.subject} may not subscribe to every patient's documents`);
    }
    if (!reachesPatient(principal, patientId)) throw new AccessDeniedError(`a caller limited to patient ${principal.patientId} subscribed to ${patientId}`);
    if (input.channel.type === 'rest-hook') checkEndpoint(input.channel.endpoint);
    if (input.channel.type === 'mqtt' && !this.config.mqtt) throw new InvalidSubscription('this gateway has no MQTT broker configured', 'Subscription.channel.type');
    const record: SubscriptionRecord = { ...input, id: randomUUID(), owner: principal.subject, status: input.channel.type === 'websocket' ? 'active' : 'requested', eventsSinceStart: 0 };
    await this.store.insert(record);
    if (record.channel.type !== 'websocket') void this.handshake(record);
    return record;
  }

  /** Backport handshake: the subscription is active once its endpoint took the handshake, in error when it did not. */
  private async handshake(s: SubscriptionRecord): Promise<void> {
    try {
      await this.delivery.send({ subscription: s, type: 'handshake', events: [], eventsSinceStart: 0 });
      await this.store.setStatus(s.id, 'active');
    } catch (err) {
      await this.store.setStatus(s.id, 'error', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    }
  }

  /** The subscription, when it is the principal's own. */
  async get(principal: Principal, id: string): Promise<SubscriptionRecord | undefined> {
    const s = await this.store.get(id);
    return s && s.owner === principal.subject ? s : undefined;
  }

  list(principal: Principal): Promise<SubscriptionRecord[]> {
    return this.store.listByOwner(principal.subject, LIST_LIMIT);
  }

  async remove(principal: Principal, id: string): Promise<boolean> {
    if (!(await this.get(principal, id))) return false;
    const removed = await this.store.remove(id);
    this.sockets.drop(id);
    return removed;
  }

  /** $status: the subscription and how far its delivery got. */
  async status(principal: Principal, id: string): Promise<{ subscription: SubscriptionRecord; deliveredThrough: number } | undefined> {
    const subscription = await this.get(principal, id);
    return subscription ? { subscription, deliveredThrough: await this.store.deliveredThrough(id) } : undefined;
  }

  /** $events: recorded events from `from` through `to` (event numbers, inclusive). */
  async events(principal: Principal, id: string, from: number, to?: number): Promise<{ subscription: SubscriptionRecord; events: SubscriptionEvent[] } | undefined> {
    const subscription = await this.get(principal, id);
    if (!subscription) return undefined;
    return { subscription, events: await this.store.events(id, Math.max(0, from - 1), EVENTS_LIMIT, to) };
  }

  /** $get-ws-binding-token */
  async wsToken(principal: Principal, id: string): Promise<{ token: string; expiresAt: Date; subscription: SubscriptionRecord } | undefined> {
    const subscription = await this.get(principal, id);
    if (!subscription) return undefined;
    if (subscription.channel.type !== 'websocket') throw new InvalidSubscription('only a websocket subscription binds a socket', 'Subscription.channel.type');
    const expiresAt = new Date(Date.now() + this.config.wsTokenSeconds * 1000);
    return { token: issueWsToken(this.config.wsTokenKey, id, expiresAt), expiresAt, subscription };
  }

  /**
   * bind-with-token: the socket receives the handshake, then the subscription's notifications
   * (those still undelivered at once) and a heartbeat every heartbeatPeriod while idle.
   * Undefined when the token is not valid or its subscription is gone.
   */
  async bind(token: string, socket: BoundSocket): Promise<SubscriptionRecord | undefined> {
    const id = checkWsToken(this.config.wsTokenKey, token);
    const subscription = id ? await this.store.get(id) : undefined;
    if (!subscription || subscription.status === 'off') return undefined;
    await socket.send(JSON.stringify(await this.delivery.render({ subscription, type: 'handshake', events: [], eventsSinceStart: subscription.eventsSinceStart })));
    this.sockets.bind(subscription.id, socket);
    this.delivery.wake();
    return subscription;
  }

  unbind(id: string, socket: BoundSocket): void {
    this.sockets.unbind(id, socket);
  }

  /** A heartbeat for a bound socket (the front end times them). */
  async heartbeat(id: string, socket: BoundSocket): Promise<void> {
    const subscription = await this.store.get(id);
    if (!subscription) return;
    await socket.send(JSON.stringify(await this.delivery.render({ subscription, type: 'heartbeat', events: [], eventsSinceStart: subscription.eventsSinceStart })));
  }
}
