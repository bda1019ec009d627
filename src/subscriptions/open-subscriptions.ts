/** Builds the subscriptions core on its store and job queue (composition root: gateway.ts). */
import type { AuditTrail } from '../audit/audit-trail';
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../logger';
import type { SubscriptionsConfig } from '../subscriptions-config';
import { SubscriptionDelivery, type DeliveryJobs } from './delivery';
import { MqttChannel } from './mqtt-channel';
import type { SubscriptionStore } from './ports';
import { RestHookChannel } from './rest-hook-channel';
import { Subscriptions } from './subscriptions';
import { WebsocketHub } from './websocket-hub';

export interface OpenedSubscriptions {
  subscriptions: Subscriptions;
  close(): Promise<void>;
}

/** Registers the delivery job on `jobs`: call before the queue starts. */
export function openSubscriptions(config: SubscriptionsConfig, store: SubscriptionStore, jobs: JobQueue<DeliveryJobs>, audit: AuditTrail, logger: Logger): OpenedSubscriptions {
  const sockets = new WebsocketHub();
  const mqtt = config.mqtt ? new MqttChannel(config.mqtt) : undefined;
  const delivery = new SubscriptionDelivery({
    store,
    jobs,
    sockets,
    audit,
    config,
    logger,
    channels: { 'rest-hook': new RestHookChannel(), websocket: sockets, ...(mqtt ? { mqtt } : {}) },
  });
  delivery.register();
  return {
    subscriptions: new Subscriptions(store, delivery, sockets, config),
    async close() {
      await delivery.close();
      await sockets.close();
      await mqtt?.close();
    },
  };
}
