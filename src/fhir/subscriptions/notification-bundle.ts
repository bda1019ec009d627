/**
 * Notifications as the R4 backport shapes them: a `history` Bundle whose first entry is the
 * SubscriptionStatus Parameters (subscription, topic, status, type, events since start, one
 * notification-event per event with its number, time and — unless the payload is empty — its
 * focus), followed for id-only by an entry per focus (fullUrl only) and for full-resource by
 * the focus resources themselves, read as the subscriber may see them.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../domain/principal';
import type { SubscriptionEvent, SubscriptionRecord } from '../../domain/subscription';
import type { Notification, NotificationRenderer } from '../../subscriptions/notification';
import type { Registry } from '../../registry/registry';
import type { MappingsByBase } from '../http/fhir-base';
import { readResource } from '../mhd/search';
import { Backport } from './backport';

type Json = Record<string, unknown>;

const resourceId = (entryUuid: string) => entryUuid.replace(/^urn:uuid:/i, '').toLowerCase();

function focusUrl(s: SubscriptionRecord, e: SubscriptionEvent): string {
  return `${s.fhirBase}/${s.topic.resourceType}/${resourceId(e.focusId)}`;
}

/** The SubscriptionStatus Parameters of a notification or a $status answer. */
export function subscriptionStatus(n: Notification, withFocus: boolean): Json {
  const s = n.subscription;
  return {
    resourceType: 'Parameters',
    id: randomUUID(),
    meta: { profile: [Backport.statusProfile] },
    parameter: [
      { name: 'subscription', valueReference: { reference: `${s.fhirBase}/Subscription/${s.id}` } },
      { name: 'topic', valueCanonical: s.topic.url },
      { name: 'status', valueCode: s.status },
      { name: 'type', valueCode: n.type },
      { name: 'events-since-subscription-start', valueString: String(n.eventsSinceStart) },
      ...n.events.map((e) => ({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: String(e.eventNumber) },
          { name: 'timestamp', valueInstant: e.occurredAt },
          ...(withFocus ? [{ name: 'focus', valueReference: { reference: focusUrl(s, e) } }] : []),
        ],
      })),
      ...(s.status === 'error' && s.error ? [{ name: 'error', valueCodeableConcept: { text: s.error } }] : []),
    ],
  };
}

export class NotificationBundles implements NotificationRenderer {
  constructor(private readonly services: { registry: Registry; mappings: MappingsByBase }) {}

  async render(n: Notification): Promise<object> {
    const s = n.subscription;
    const content = n.content ?? s.channel.payload;
    const entries: Json[] = [
      {
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: subscriptionStatus(n, content !== 'empty'),
        request: { method: 'GET', url: `${s.fhirBase}/Subscription/${s.id}/$status` },
        response: { status: '200' },
      },
    ];
    if (content !== 'empty') {
      // The subscriber's view: a patient subscription reads as a caller bound to that patient.
      const reader: Principal = { subject: s.owner, ...(s.filter.patientId ? { patientId: s.filter.patientId } : {}) };
      const deps = { registry: this.services.registry, mapping: this.services.mappings.get(s.fhirBase) };
      for (const e of n.events) {
        const resource = content === 'full-resource' ? await readResource(s.topic.resourceType, resourceId(e.focusId), deps, reader) : undefined;
        entries.push({
          fullUrl: focusUrl(s, e),
          ...(resource ? { resource } : {}),
          request: { method: e.interaction === 'create' ? 'POST' : 'PUT', url: e.interaction === 'create' ? s.topic.resourceType : `${s.topic.resourceType}/${resourceId(e.focusId)}` },
          response: { status: e.interaction === 'create' ? '201' : '200' },
        });
      }
    }
    return {
      resourceType: 'Bundle',
      id: randomUUID(),
      meta: { profile: [Backport.notificationProfile] },
      type: 'history',
      timestamp: new Date().toISOString(),
      entry: entries,
    };
  }
}
