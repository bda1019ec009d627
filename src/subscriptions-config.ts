/**
 * DSUBm subscriptions' settings (SUBSCRIPTION_*, MQTT_*): delivery pacing and the MQTT broker
 * notifications are published to.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { positiveIntegerSetting } from './env-number';

export interface MqttConfig {
  /** mqtt://host:port or mqtts://host:port */
  url: string;
  username?: string;
  password?: string;
  /** Topic of a subscription: `${topicPrefix}/${subscription id}`. */
  topicPrefix: string;
  /** mqtts: CA file that verifies the broker; client certificate and key when the broker asks for one. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface SubscriptionsConfig {
  /** How often each process looks for undelivered events (a safety net: a commit wakes delivery at once). */
  pollMs: number;
  /** How long a process holds a subscription's delivery before another may take it over. */
  leaseMs: number;
  /** Consecutive failed attempts after which a subscription's status is `error`. */
  errorAfter: number;
  /** First retry delay; doubled per failure up to retryMaxMs. */
  retryMs: number;
  retryMaxMs: number;
  /** Signs websocket binding tokens; every process of one deployment needs the same. */
  wsTokenKey: Buffer;
  /** Validity of a websocket binding token. */
  wsTokenSeconds: number;
  /** Absent: MQTT channels are refused. */
  mqtt?: MqttConfig;
}

export function parseSubscriptionsConfig(env: Record<string, string | undefined>): SubscriptionsConfig {
  const n = (name: string, fallback: number) => positiveIntegerSetting(env, name, fallback);
  const config: SubscriptionsConfig = {
    pollMs: n('SUBSCRIPTION_POLL_MS', 1000),
    leaseMs: n('SUBSCRIPTION_LEASE_MS', 30_000),
    errorAfter: n('SUBSCRIPTION_ERROR_AFTER', 3),
    retryMs: n('SUBSCRIPTION_RETRY_MS', 1000),
    retryMaxMs: n('SUBSCRIPTION_RETRY_MAX_MS', 60_000),
    // Random per process when unset: tokens then bind only on the process that issued them.
    wsTokenKey: env.SUBSCRIPTION_WS_TOKEN_KEY ? Buffer.from(env.SUBSCRIPTION_WS_TOKEN_KEY, 'utf8') : randomBytes(32),
    wsTokenSeconds: n('SUBSCRIPTION_WS_TOKEN_SECONDS', 60),
  };
  if (env.MQTT_URL) {
    // Read now, so a missing file stops the start rather than the first MQTT notification.
    const read = (file: string | undefined) => file !== undefined && readFileSync(file).length >= 0;
    config.mqtt = {
      url: env.MQTT_URL,
      topicPrefix: env.MQTT_TOPIC_PREFIX ?? 'hie-gateway/subscriptions',
      ...(env.MQTT_USERNAME ? { username: env.MQTT_USERNAME } : {}),
      ...(env.MQTT_PASSWORD ? { password: env.MQTT_PASSWORD } : {}),
      ...(read(env.MQTT_CA_FILE) ? { caFile: env.MQTT_CA_FILE! } : {}),
      ...(read(env.MQTT_CERT_FILE) ? { certFile: env.MQTT_CERT_FILE! } : {}),
      ...(read(env.MQTT_KEY_FILE) ? { keyFile: env.MQTT_KEY_FILE! } : {}),
    };
  }
  return config;
}
