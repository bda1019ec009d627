/**
 * What the subscriptions core needs from its store, in domain terms. The SQL adapter lives
 * in store/sql/subscriptions and is wired in the composition root (gateway.ts).
 */
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import type { RegistryChange, SubscriptionEvent, SubscriptionRecord, SubscriptionStatus } from '../domain/subscription';

export interface DeliveryClaim {
  subscription: SubscriptionRecord;
  deliveredThrough: number;
  failures: number;
  /** The first undelivered events, at most the channel's maxCount. */
  events: SubscriptionEvent[];
}

export interface SubscriptionStore {
  insert(record: SubscriptionRecord): Promise<void>;
  get(id: string): Promise<SubscriptionRecord | undefined>;
  /** The owner's subscriptions, newest first. */
  listByOwner(owner: string, limit: number): Promise<SubscriptionRecord[]>;
  /** Whether it existed; its events and delivery state go with it. */
  remove(id: string): Promise<boolean>;
  setStatus(id: string, status: SubscriptionStatus, error?: string): Promise<void>;

  /** Rows that record, in the statement of the change, one event per matching subscription. */
  eventRows(changes: readonly RegistryChange[]): StoreRows[];
  /** Inside the transaction that changed them: records the events of registered objects changed (read as they now are). */
  recordUpdates(tx: StoreTransaction, changed: ReadonlyArray<{ kind: 'DocumentEntry' | 'Folder'; entryUuid: string }>): Promise<void>;

  /** Subscriptions with undelivered events whose next attempt is due and which no process holds. */
  due(limit: number): Promise<string[]>;
  /** Takes the delivery of one subscription for `leaseMs`, unless another process holds it; with the subscription as it is now. */
  claim(id: string, owner: string, leaseMs: number): Promise<DeliveryClaim | undefined>;
  /** Events after `after` (through `through` when given), in order. */
  events(id: string, after: number, limit: number, through?: number): Promise<SubscriptionEvent[]>;
  /**
   * Events up to `through` are delivered: returns the next `limit` events, with the lease
   * renewed for `leaseMs` when there are any and released when there are none (one statement
   * per notification sent).
   */
  delivered(id: string, owner: string, through: number, leaseMs: number, limit: number): Promise<SubscriptionEvent[]>;
  /** A failed attempt: returns the consecutive failures so far; the next attempt waits until `retryAt`. */
  failed(id: string, owner: string, error: string, retryAt: Date): Promise<number>;
  release(id: string, owner: string): Promise<void>;
  /** rest-hook and MQTT subscriptions with a heartbeat period over since their last notification, which no process holds. */
  heartbeatsDue(limit: number): Promise<string[]>;
  /** A heartbeat went out: the period starts again, the lease is released. */
  heartbeatSent(id: string, owner: string): Promise<void>;
  /** Delivered-through of a subscription (for $status). */
  deliveredThrough(id: string): Promise<number>;
}
