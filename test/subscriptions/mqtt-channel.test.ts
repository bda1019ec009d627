// The MQTT channel against a broker that stops answering without closing its connections
// (SIGSTOP): a publish the broker never acknowledges fails at the subscription's timeout
// instead of holding its delivery job forever, and publishing works again once it answers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SUBSCRIPTION_TOPICS, type SubscriptionRecord } from '../../src/domain/subscription';
import { MqttChannel } from '../../src/subscriptions/mqtt-channel';
import { needMosquitto, startMosquitto, type MosquittoProcess } from '../support/mosquitto-process';

describe('subscriptions: MQTT channel and a frozen broker', function () {
  this.timeout(60_000);
  let broker: MosquittoProcess;
  let channel: MqttChannel;

  before(async function () {
    broker = await startMosquitto(needMosquitto(this));
    channel = new MqttChannel({ url: broker.url, topicPrefix: `hie-test-${randomUUID()}` });
  });
  after(async () => {
    broker?.thaw();
    await channel?.close();
    await broker?.remove();
  });

  const subscription: SubscriptionRecord = {
    id: randomUUID(),
    owner: 'test',
    topic: SUBSCRIPTION_TOPICS[0]!,
    filter: {},
    channel: { type: 'mqtt', headers: [], payload: 'id-only', heartbeatSeconds: 0, timeoutSeconds: 1, maxCount: 10 },
    status: 'active',
    resource: {},
    fhirBase: 'http://127.0.0.1/fhir',
    eventsSinceStart: 0,
  };

  it('a publish the broker does not acknowledge fails within the timeout; the next one after it answers again succeeds', async () => {
    await channel.send(subscription, '{"n":1}');
    broker.freeze();
    const started = Date.now();
    await assert.rejects(channel.send(subscription, '{"n":2}'), /MQTT broker .* did not answer within 1000 ms/);
    assert.ok(Date.now() - started < 5_000, `gave up after ${Date.now() - started} ms`);
    broker.thaw();
    await channel.send(subscription, '{"n":3}');
  });
});
