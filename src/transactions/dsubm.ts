/**
 * DSUBm (Document Subscription for Mobile) on FHIR R4 topic-based subscriptions: the
 * Subscription resource (ITI-110 create and cancel, ITI-113 search and read, ITI-114 the
 * $status, $events and $get-ws-binding-token operations) and the notifications this gateway
 * sends as Resource Notification Broker (ITI-112, no route: it goes out over a channel).
 */
import { on } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ITI_110 = {
  id: 'ITI-110',
  name: 'Resource Subscription',
  audit: { kind: 'push', rest: 'create' },
  fhir: [
    { method: 'POST', path: '/Subscription', handler: 'create', access: on('Subscription', 'create') },
    { method: 'DELETE', path: '/Subscription/:id', handler: 'remove', access: on('Subscription', 'delete') },
  ],
} as const satisfies TransactionDescriptor;

export const ITI_113 = {
  id: 'ITI-113',
  name: 'Resource Subscription Search',
  audit: { kind: 'query', rest: 'search-type' },
  fhir: [
    { method: 'GET', path: '/Subscription', handler: 'search', access: on('Subscription', 'search') },
    { method: 'GET', path: '/Subscription/:id', handler: 'read', access: on('Subscription', 'read') },
  ],
} as const satisfies TransactionDescriptor;

export const ITI_114 = {
  id: 'ITI-114',
  name: 'Resource Subscription Operation',
  audit: { kind: 'query', rest: 'read' },
  fhir: [
    { method: 'GET', path: '/Subscription/:id/$status', handler: 'status', access: on('Subscription', 'read') },
    { method: 'GET', path: '/Subscription/:id/$events', handler: 'events', access: on('Subscription', 'read') },
    { method: 'POST', path: '/Subscription/:id/$get-ws-binding-token', handler: 'wsToken', access: on('Subscription', 'read') },
  ],
} as const satisfies TransactionDescriptor;

/** Sent by this gateway (side 'initiated'): a notification leaves it with what it names. */
export const ITI_112 = {
  id: 'ITI-112',
  name: 'Resource Notify',
  audit: { kind: 'pull' },
} as const satisfies TransactionDescriptor;
