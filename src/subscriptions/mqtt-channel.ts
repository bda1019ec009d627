/**
 * MQTT: each subscription's notifications are published, QoS 1, on a topic of its own
 * (`MQTT_TOPIC_PREFIX/<subscription id>`) of the configured broker. One client per process,
 * connected on first use and reconnecting by itself; a publish while the broker is away
 * fails at once (queued publishes would be reported sent before the broker had them), and one
 * the broker never acknowledges (a frozen broker keeps the connection open) fails at the
 * subscription's timeout like a rest-hook send.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { SubscriptionRecord } from '../domain/subscription';
import type { MqttConfig } from '../subscriptions-config';
import { withTimeout } from '../timeout';
import type { Channel } from './channel';

export function mqttTopicOf(config: Pick<MqttConfig, 'topicPrefix'>, subscriptionId: string): string {
  return `${config.topicPrefix}/${subscriptionId}`;
}

export class MqttChannel implements Channel {
  private client: MqttClient | undefined;

  constructor(private readonly config: MqttConfig) {}

  private connection(): MqttClient {
    if (!this.client) {
      const c = this.config;
      this.client = mqtt.connect(c.url, {
        reconnectPeriod: 1000,
        connectTimeout: 5000,
        queueQoSZero: false,
        ...(c.username ? { username: c.username } : {}),
        ...(c.password ? { password: c.password } : {}),
        ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}),
        ...(c.certFile ? { cert: readFileSync(c.certFile) } : {}),
        ...(c.keyFile ? { key: readFileSync(c.keyFile) } : {}),
      });
      // Errors surface as failed publishes; without a listener they would throw.
      this.client.on('error', () => undefined);
    }
    return this.client;
  }

  private async connected(client: MqttClient, timeoutMs: number): Promise<void> {
    if (client.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('connect', onConnect);
        reject(new Error(`MQTT broker ${this.config.url} not reachable`));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('connect', onConnect);
    });
  }

  async send(s: SubscriptionRecord, body: string): Promise<void> {
    const client = this.connection();
    const timeoutMs = Math.min(s.channel.timeoutSeconds * 1000, 5000);
    await this.connected(client, timeoutMs);
    await withTimeout(client.publishAsync(mqttTopicOf(this.config, s.id), body, { qos: 1 }), timeoutMs, `MQTT broker ${this.config.url}`);
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
