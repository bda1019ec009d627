/** What a notification is, before the FHIR front end renders it as a Bundle. */
import type { PayloadContent, SubscriptionEvent, SubscriptionRecord } from '../domain/subscription';

/** SubscriptionStatus.type (R5 backport). */
export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export interface Notification {
  subscription: SubscriptionRecord;
  type: NotificationType;
  events: readonly SubscriptionEvent[];
  /** The subscription's count of events so far (for an event notification: through its last event). */
  eventsSinceStart: number;
  /** Overrides the subscription's payload content ($events `content`). */
  content?: PayloadContent;
}

/** Renders a notification as the Bundle a subscriber receives (the FHIR front end's). */
export interface NotificationRenderer {
  render(notification: Notification): Promise<object>;
}
