/**
 * The BullMQ queues a gateway runs: audit forwarding (and other background work) on the default
 * queue, calls to other communities on their own (many at once, waiting on the network). The
 * operator's dead-letter command names them by these keys. Subscription notifications have one
 * too, so a slow subscriber holds up neither audit nor community calls.
 */
export const JOB_QUEUES = {
  default: 'hie-gateway',
  communities: 'hie-gateway-communities',
  subscriptions: 'hie-gateway-subscriptions',
} as const;

export type JobQueueKey = keyof typeof JOB_QUEUES;

export function isJobQueueKey(name: string): name is JobQueueKey {
  return Object.hasOwn(JOB_QUEUES, name);
}
