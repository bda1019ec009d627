/**
 * Delivers the events recorded with registry changes (the outbox of subscription_events):
 * at least once, in event order per subscription. A commit wakes delivery in the committing
 * process; a poll in every process catches what a killed process left. Each subscription with
 * undelivered events gets one job (idempotency key per subscription and lease period) on the JobQueue; the job
 * leases the subscription's delivery (one process at a time), sends its events in batches of
 * the channel's maxCount, and records progress after each send. A failed send is retried with
 * backoff; after SUBSCRIPTION_ERROR_AFTER failures in a row the subscription's status is
 * `error`, and the first send that succeeds again makes it `active`.
 *
 * Websocket subscriptions are delivered by the process holding the socket, outside the
 * shared queue: another process could not reach it.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '../audit/audit-trail';
import { cappedBackoffMs } from '../backoff';
import type { ChannelType, SubscriptionEvent, SubscriptionRecord } from '../domain/subscription';
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../logger';
import type { SubscriptionsConfig } from '../subscriptions-config';
import { NotConnectedHere, type Channel } from './channel';
import type { Notification, NotificationRenderer } from './notification';
import type { SubscriptionStore } from './ports';
import type { WebsocketHub } from './websocket-hub';

export const DELIVER_JOB = 'subscription.deliver';
export type DeliveryJobs = { [DELIVER_JOB]: { subscriptionId: string } };

const DUE_BATCH = 500;
/** Least time between two looks for due subscriptions: under load, commits come faster than a look takes. */
const SCAN_GAP_MS = 20;
/** How often each process looks for heartbeats due (periods are whole seconds). */
const HEARTBEAT_CHECK_MS = 1000;

export interface DeliveryDeps {
  store: SubscriptionStore;
  jobs: JobQueue<DeliveryJobs>;
  channels: Partial<Record<ChannelType, Channel>>;
  sockets: WebsocketHub;
  audit: AuditTrail;
  config: SubscriptionsConfig;
  logger: Logger;
}

export class SubscriptionDelivery {
  /** This process, as the holder of delivery leases. */
  readonly instance = randomUUID();
  private renderer: NotificationRenderer | undefined;
  private poller: NodeJS.Timeout | undefined;
  private heartbeats: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private closed = false;
  /** Subscriptions this process is sending for -> whether more was asked meanwhile. */
  private readonly draining = new Map<string, boolean>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Registers the job handler; call before the queue starts. */
  register(): void {
    this.deps.jobs.registerHandler(DELIVER_JOB, async ({ subscriptionId }) => {
      await this.drain(subscriptionId);
    });
  }

  /** Delivery begins once the front end can render notifications. */
  start(renderer: NotificationRenderer): void {
    this.renderer = renderer;
    this.poller = setInterval(() => this.wake(), this.deps.config.pollMs);
    this.poller.unref();
    this.heartbeats = setInterval(() => {
      this.heartbeat().catch((err: unknown) => this.deps.logger.warn({ err }, 'subscription heartbeats failed'));
    }, HEARTBEAT_CHECK_MS);
    this.heartbeats.unref();
    this.wake();
  }

  /**
   * Heartbeats of rest-hook and MQTT subscriptions idle for their heartbeat period (a bound
   * websocket gets its own from the socket's timer). One with events waiting is delivered
   * instead: a notification is as good a sign of life.
   */
  private async heartbeat(): Promise<void> {
    const { store, config } = this.deps;
    for (const id of await store.heartbeatsDue(DUE_BATCH)) {
      if (this.closed || this.draining.has(id)) continue;
      const claim = await store.claim(id, this.instance, config.leaseMs);
      if (!claim) continue;
      if (claim.events.length > 0) {
        await store.release(id, this.instance);
        this.wake();
        continue;
      }
      const s = claim.subscription;
      try {
        await this.send({ subscription: s, type: 'heartbeat', events: [], eventsSinceStart: s.eventsSinceStart });
        await store.heartbeatSent(id, this.instance);
        if (s.status !== 'active') await store.setStatus(id, 'active');
      } catch (err) {
        await this.failedAttempt(id, s, claim.failures, err);
      }
    }
  }

  /** Something committed: look for due subscriptions now (scans coalesce while one runs). */
  wake(): void {
    if (this.closed || !this.renderer) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'looking for undelivered subscription events failed'))
      .then(() => new Promise<void>((resolve) => setTimeout(resolve, SCAN_GAP_MS)))
      .finally(() => {
        this.scanning = undefined;
        if (this.rescan) {
          this.rescan = false;
          this.wake();
        }
      });
  }

  private async scan(): Promise<void> {
    const ids = await this.deps.store.due(DUE_BATCH);
    await Promise.all(ids.map((id) => {
      if (this.deps.sockets.has(id)) return this.drain(id);
      // The key changes every lease period: a job a killed process left "active" in Redis
      // (until BullMQ finds it stalled) holds up a subscription no longer than its lease.
      const period = Math.floor(Date.now() / this.deps.config.leaseMs);
      return this.deps.jobs.enqueue(DELIVER_JOB, { subscriptionId: id }, { idempotencyKey: `subscription:${id}:${period}`, attempts: 1 });
    }));
  }

  /**
   * Sends a subscription's undelivered events, if no other process is doing so. Within this
   * process one drain per subscription runs at a time (the lease is the process's); a request
   * meanwhile is answered by looking again once it ends.
   */
  async drain(id: string): Promise<void> {
    if (this.draining.has(id)) {
      this.draining.set(id, true);
      return;
    }
    this.draining.set(id, false);
    try {
      await this.drainOnce(id);
    } finally {
      const again = this.draining.get(id);
      this.draining.delete(id);
      if (again) this.wake();
    }
  }

  private async drainOnce(id: string): Promise<void> {
    const { store, config } = this.deps;
    const claim = await store.claim(id, this.instance, config.leaseMs);
    if (!claim) return;
    let subscription = claim.subscription;
    try {
      if (subscription.status === 'off' || claim.events.length === 0) return await store.release(id, this.instance);
      let events = claim.events;
      // delivered() releases the lease once nothing is left.
      while (events.length > 0) {
        const through = events[events.length - 1]!.eventNumber;
        await this.send({ subscription, type: 'event-notification', events, eventsSinceStart: through });
        events = await store.delivered(id, this.instance, through, config.leaseMs, subscription.channel.maxCount);
        if (subscription.status !== 'active') {
          await store.setStatus(id, 'active');
          subscription = { ...subscription, status: 'active' };
        }
      }
    } catch (err) {
      await this.failedAttempt(id, subscription, claim.failures, err);
    }
  }

  private async failedAttempt(id: string, subscription: SubscriptionRecord | undefined, failuresBefore: number, err: unknown): Promise<void> {
    const { store, config, jobs, logger } = this.deps;
    if (err instanceof NotConnectedHere) return store.release(id, this.instance);
    const message = err instanceof Error ? err.message : String(err);
    const delay = cappedBackoffMs(failuresBefore, config.retryMs, config.retryMaxMs);
    const failures = await store.failed(id, this.instance, message, new Date(Date.now() + delay));
    logger.warn({ subscription: id, failures, err: message }, 'subscription notification not delivered; retrying later');
    if (failures >= config.errorAfter && subscription && subscription.status !== 'error') await store.setStatus(id, 'error', message);
    if (!this.closed && !this.deps.sockets.has(id)) {
      await jobs.enqueue(DELIVER_JOB, { subscriptionId: id }, { idempotencyKey: `subscription:${id}:retry:${failures}`, delayMs: delay, attempts: 1 });
    }
  }

  /** The Bundle of a notification. */
  render(n: Notification): Promise<object> {
    if (!this.renderer) throw new Error('subscription delivery has not started');
    return this.renderer.render(n);
  }

  /** Renders and sends one notification over the subscription's channel; notifications naming patients' documents are audited. */
  async send(n: Notification): Promise<void> {
    const s = n.subscription;
    const channel = this.deps.channels[s.channel.type];
    if (!channel) throw new Error(`no ${s.channel.type} channel is configured`);
    const body = JSON.stringify(await this.render(n));
    await channel.send(s, body);
    if ((n.content ?? s.channel.payload) !== 'empty' && n.events.length > 0) await this.audit(s, n.events);
  }

  private async audit(s: SubscriptionRecord, events: readonly SubscriptionEvent[]): Promise<void> {
    const byPatient = new Map<string, SubscriptionEvent[]>();
    for (const e of events) byPatient.set(e.patientId, [...(byPatient.get(e.patientId) ?? []), e]);
    const endpoint = s.channel.type === 'rest-hook' ? s.channel.endpoint! : `${s.channel.type}:Subscription/${s.id}`;
    for (const [patientId, list] of byPatient) {
      await this.deps.audit.record({
        transaction: 'ITI-112',
        side: 'initiated',
        outcome: '0',
        principal: { subject: s.owner },
        patientId,
        documents: list.map((e) => ({ entryUuid: e.focusId })),
        resource: `Subscription/${s.id}`,
        remote: { endpoint },
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    if (this.heartbeats) clearInterval(this.heartbeats);
    await this.scanning;
  }
}
