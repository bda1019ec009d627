/** How a notification leaves the gateway: one implementation per Subscription channel type. */
import type { SubscriptionRecord } from '../domain/subscription';

export interface Channel {
  /** Resolves once the subscriber (or broker) has taken the notification; rejects otherwise. */
  send(subscription: SubscriptionRecord, body: string): Promise<void>;
  close?(): Promise<void>;
}

/**
 * The subscriber's connection is held by another gateway process (websocket): not a failure
 * of the subscriber, the events wait for the process that holds it.
 */
export class NotConnectedHere extends Error {
  constructor(id: string) {
    super(`no websocket bound to subscription ${id} in this process`);
    this.name = 'NotConnectedHere';
  }
}
