// MQTT channel against a broker that goes away: notifications owed while the broker is down
// are retried and reach the subscriber once the broker is back (its clean:false session
// survives the restart), in event order, none missing.
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { feedPatient, request, RID_SYSTEM, type Json } from '../fhir/http/support';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { publishDocument } from '../support/mhd-publish';
import { needMosquitto, startMosquitto, type MosquittoProcess } from '../support/mosquitto-process';
import { eventsOf, statusOf, subscriptionResource, TOPIC, waitFor } from './support';

const PREFIX = `hie-test-${randomUUID()}`;

describe('subscriptions: MQTT broker restarted mid-burst', function () {
  let broker: MosquittoProcess;
  before(async function () {
    broker = await startMosquitto(needMosquitto(this));
  });
  after(async () => broker?.remove());

  describeEachStoreOverHttp('MQTT catch-up', (ctx) => {
    let subscriber: MqttClient | undefined;
    after(async () => subscriber?.endAsync(true));

    it('events recorded while the broker is down are delivered once it is back', async () => {
      const rid = String(13 * randomInt(76_923_077, 769_230_769));
      assert.ok((await feedPatient(ctx.fhir, rid)).status < 300);
      const created = await request(`${ctx.fhir}/Subscription`, {
        method: 'POST',
        json: subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, channel: 'mqtt', payload: 'id-only' }),
      });
      assert.equal(created.status, 201, created.text);
      const bundles: Json[] = [];
      subscriber = await mqtt.connectAsync(broker.url, { clientId: `sub-${randomUUID()}`, clean: false, reconnectPeriod: 200 });
      subscriber.on('message', (_t, payload) => bundles.push(JSON.parse(payload.toString()) as Json));
      await subscriber.subscribeAsync(`${PREFIX}/${created.resource!.id}`, { qos: 1 });

      const publish = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => publishDocument(ctx.fhir, rid, Buffer.from(`doc ${i} ${randomUUID()}`))));
      await publish(3);
      await waitFor('the first three events', () => eventsOf(bundles).length >= 3);

      await broker.stop();
      // Submissions go on while the broker is away: their events are recorded, their delivery retried.
      await publish(3);
      await new Promise((r) => setTimeout(r, 1000));
      await broker.start();
      await waitFor('the events owed', () => new Set(eventsOf(bundles).map((e) => e.number)).size >= 6, 45_000);
      const numbers = eventsOf(bundles).map((e) => e.number);
      assert.deepEqual([...new Set(numbers)].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
      assert.ok(numbers.every((n, i) => i === 0 || n >= numbers[i - 1]!), `in order: ${numbers.join()}`);
      assert.ok(bundles.every((b) => ['handshake', 'event-notification', 'heartbeat'].includes(statusOf(b).type)));
    });
  }, () => ({ MQTT_URL: broker.url, MQTT_TOPIC_PREFIX: PREFIX, SUBSCRIPTION_POLL_MS: '200', SUBSCRIPTION_RETRY_MS: '100', SUBSCRIPTION_RETRY_MAX_MS: '500' }), {}, ['postgres']);
});
