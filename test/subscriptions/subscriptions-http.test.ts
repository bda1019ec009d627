// DSUBm subscriptions end to end over the gateway's HTTP front ends: Subscriptions created at
// /fhir/Subscription, documents submitted over ITI-65 and ITI-41 in a burst, and real
// subscribers (a rest-hook receiver, a websocket client, an MQTT client on the local
// Mosquitto) each receiving exactly the events they subscribed to, in event-number order.
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { AccessDeniedError } from '../../src/domain/access-denied';
import { AssociationType, AvailabilityStatus } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { topicByUrl } from '../../src/domain/subscription';
import { feedPatient, request, RID_SYSTEM, type Json } from '../fhir/http/support';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { publishDocument } from '../support/mhd-publish';
import { association, documentEntry, submission, submissionSet, TEST_AUTHORITY } from '../support/metadata-builders';
import { provideSingle, registered } from '../xds/support/messages';
import { eventsOf, startReceiver, statusOf, subscriptionResource, TOPIC, waitFor, type RestHookReceiver } from './support';

const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const PREFIX = `hie-test-${randomUUID()}`;
const LOINC_OID = '2.16.840.1.113883.6.1';

const freshRid = () => String(13 * randomInt(76_923_077, 769_230_769));
const idOf = (reference: string | undefined) => reference?.split('/').pop();

describeEachStoreOverHttp('DSUBm subscriptions over HTTP', (ctx) => {
  let receivers: RestHookReceiver[] = [];
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    receivers = [];
  });

  async function subscribe(body: Json): Promise<Json> {
    const res = await request(`${ctx.fhir}/Subscription`, { method: 'POST', json: body });
    assert.equal(res.status, 201, res.text);
    return res.resource!;
  }

  async function statusOfSubscription(id: string): Promise<string> {
    const res = await request(`${ctx.fhir}/Subscription/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.resource!.status;
  }

  async function ridWithPatient(): Promise<string> {
    const rid = freshRid();
    assert.ok((await feedPatient(ctx.fhir, rid)).status < 300);
    return rid;
  }

  it('lists the DSUBm topics in /fhir/metadata', async () => {
    const res = await request(`${ctx.fhir}/metadata`);
    const subscription = res.resource!.rest[0].resource.find((r: Json) => r.type === 'Subscription');
    const topics = subscription.extension.map((e: Json) => e.valueCanonical);
    assert.ok(topics.includes(TOPIC.documentOfPatient));
    assert.ok(topics.includes(TOPIC.documentAnyPatient));
  });

  it('a burst of ITI-65 and ITI-41 submissions reaches each subscriber with exactly its events, over rest-hook, websocket and MQTT', async () => {
    const [r1, r2] = [await ridWithPatient(), await ridWithPatient()];
    const [hookA, hookB, hookC] = [await receiver(), await receiver(), await receiver()];
    const patient = (rid: string) => `patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`;
    const a = await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?${patient(r1)}`, channel: 'rest-hook', endpoint: hookA.url, payload: 'full-resource', headers: ['Authorization: Bearer secret-a'] }));
    const b = await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?${patient(r2)}`, channel: 'rest-hook', endpoint: hookB.url, payload: 'id-only' }));
    // Multi-patient, discharge summaries only: the ITI-41 fixture's type, which the ITI-65 one lacks.
    const c = await subscribe(subscriptionResource({ topic: TOPIC.documentAnyPatient, filter: `DocumentReference?type=${encodeURIComponent(`urn:oid:${LOINC_OID}|18842-5`)}`, channel: 'rest-hook', endpoint: hookC.url, payload: 'id-only' }));
    const d = await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?${patient(r1)}`, channel: 'websocket', payload: 'id-only' }));
    const e = await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?${patient(r2)}`, channel: 'mqtt', payload: 'id-only' }));

    // The websocket subscriber binds with a token; the MQTT subscriber listens on the subscription's topic.
    const token = await request(`${ctx.fhir}/Subscription/${d.id}/$get-ws-binding-token`, { method: 'POST' });
    assert.equal(token.status, 200, token.text);
    const param = (name: string) => token.resource!.parameter.find((p: Json) => p.name === name);
    const socket = new WebSocket(param('websocket-url').valueUrl);
    const wsBundles: Json[] = [];
    socket.on('message', (data) => wsBundles.push(JSON.parse(String(data)) as Json));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(`bind-with-token ${param('token').valueString}`);
    const broker = await mqtt.connectAsync(MQTT_URL);
    const mqttBundles: Json[] = [];
    broker.on('message', (_topic, payload) => mqttBundles.push(JSON.parse(payload.toString()) as Json));
    await broker.subscribeAsync(`${PREFIX}/${e.id}`, { qos: 1 });
    try {
      await waitFor('the handshakes', () => hookA.received.length > 0 && hookB.received.length > 0 && hookC.received.length > 0 && wsBundles.length > 0);
      assert.equal(statusOf(wsBundles[0]!).type, 'handshake');
      assert.equal(statusOf(hookA.received[0]!.bundle).type, 'handshake');
      for (const s of [a, b, c]) await waitFor('active', async () => (await statusOfSubscription(s.id)) === 'active');

      const cx = (rid: string) => `${rid}^^^&${TEST_AUTHORITY}&ISO`;
      const mhd = (rid: string) => publishDocument(ctx.fhir, rid, Buffer.from(`lab result ${randomUUID()}`)).then(async (p) => (await registered(ctx.gw, p.documentUniqueId)).entryUuid);
      const xds = (rid: string) => provideSingle(ctx.baseUrl, { patient: cx(rid) }).then(async ({ submitted }) => (await registered(ctx.gw, submitted.docUid)).entryUuid);
      const burst = [mhd(r1), mhd(r2), xds(r1), mhd(r1), xds(r2), mhd(r2), mhd(r1), xds(r1), mhd(r2)];
      const ids = await Promise.all(burst);
      const plain = (id: string) => id.replace('urn:uuid:', '');
      const ofR1 = [ids[0], ids[2], ids[3], ids[6], ids[7]].map((x) => plain(x!)).sort();
      const ofR2 = [ids[1], ids[4], ids[5], ids[8]].map((x) => plain(x!)).sort();
      const discharge = [ids[2], ids[4], ids[7]].map((x) => plain(x!)).sort();

      const settled = (bundles: () => Json[], n: number) => () => eventsOf(bundles()).length >= n;
      await waitFor('rest-hook A', settled(() => hookA.received.map((x) => x.bundle), ofR1.length));
      await waitFor('rest-hook B', settled(() => hookB.received.map((x) => x.bundle), ofR2.length));
      await waitFor('rest-hook C', settled(() => hookC.received.map((x) => x.bundle), discharge.length));
      await waitFor('websocket D', settled(() => wsBundles, ofR1.length));
      await waitFor('MQTT E', settled(() => mqttBundles, ofR2.length));
      // Anything sent twice or to the wrong subscriber would arrive by now too.
      await new Promise((r) => setTimeout(r, 1500));

      const check = (bundles: Json[], expected: string[]) => {
        const events = eventsOf(bundles);
        assert.deepEqual(events.map((x) => x.number), expected.map((_, i) => i + 1), 'event numbers 1..n, in order, each once');
        assert.deepEqual(events.map((x) => idOf(x.focus)).sort(), expected);
      };
      check(hookA.received.map((x) => x.bundle), ofR1);
      check(hookB.received.map((x) => x.bundle), ofR2);
      check(hookC.received.map((x) => x.bundle), discharge);
      check(wsBundles, ofR1);
      check(mqttBundles, ofR2);

      // The configured header, and the payload levels: full-resource carries the DocumentReference, id-only its URL.
      assert.ok(hookA.received.every((x) => x.headers.authorization === 'Bearer secret-a'));
      const fullEntry = hookA.received.at(-1)!.bundle.entry[1];
      assert.equal(fullEntry.resource.resourceType, 'DocumentReference');
      assert.equal(fullEntry.resource.id, idOf(fullEntry.fullUrl));
      // Each notification naming a patient's documents is audited as ITI-112, about that patient.
      await waitFor('the ITI-112 records', async () => {
        const r = await ctx.gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE 'ITI-112' = ANY (subtypes) AND patient_id = $1`, [cx(r1)]);
        return Number(r.rows[0]!.n) >= ofR1.length * 2;
      });
      const idOnly = hookB.received.at(-1)!.bundle.entry[1];
      assert.equal(idOnly.resource, undefined);
      assert.match(idOnly.fullUrl, /\/DocumentReference\/[0-9a-f-]{36}$/);
    } finally {
      socket.close();
      await broker.endAsync();
    }
  });

  it('a subscriber that keeps failing is marked error, and active again once it answers; $status and $events show what it missed', async () => {
    const rid = await ridWithPatient();
    const hook = await receiver();
    const s = await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, channel: 'rest-hook', endpoint: hook.url, payload: 'id-only' }));
    await waitFor('active', async () => (await statusOfSubscription(s.id)) === 'active');
    hook.answer = 503;
    const published = await publishDocument(ctx.fhir, rid, Buffer.from('first'));
    const entryUuid = (await registered(ctx.gw, published.documentUniqueId)).entryUuid.replace('urn:uuid:', '');
    await waitFor('error status', async () => (await statusOfSubscription(s.id)) === 'error');

    const status = await request(`${ctx.fhir}/Subscription/${s.id}/$status`);
    assert.equal(status.status, 200, status.text);
    const parameters = status.resource!.entry[0].resource.parameter as Json[];
    const param = (name: string) => parameters.find((p) => p.name === name)!;
    assert.equal(param('status').valueCode, 'error');
    assert.equal(param('events-since-subscription-start').valueString, '1');
    const missed = await request(`${ctx.fhir}/Subscription/${s.id}/$events?eventsSinceNumber=1`);
    assert.equal(missed.status, 200, missed.text);
    assert.equal(statusOf(missed.resource!).type, 'query-event');
    assert.deepEqual(statusOf(missed.resource!).events.map((x) => [x.number, idOf(x.focus)]), [[1, entryUuid]]);

    hook.answer = 200;
    await waitFor('the retried notification', () => eventsOf(hook.received.map((x) => x.bundle)).length > 0);
    await waitFor('active again', async () => (await statusOfSubscription(s.id)) === 'active');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(eventsOf(hook.received.map((x) => x.bundle)).map((x) => idOf(x.focus)), [entryUuid], 'delivered once');
  });

  it('a MinUpdate subscription hears of a status change (ITI-57) as an update event; a create-only one does not', async () => {
    const rid = await ridWithPatient();
    const [withUpdates, createOnly] = [await receiver(), await receiver()];
    const filter = `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`;
    await subscribe(subscriptionResource({ topic: TOPIC.documentOrChangeOfPatient, filter, channel: 'rest-hook', endpoint: withUpdates.url, payload: 'id-only' }));
    await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter, channel: 'rest-hook', endpoint: createOnly.url, payload: 'id-only' }));
    const published = await publishDocument(ctx.fhir, rid, Buffer.from('to be deprecated'));
    const entry = await registered(ctx.gw, published.documentUniqueId);
    const patientCx = `${rid}^^^&${TEST_AUTHORITY}&ISO`;
    await ctx.gw.registry.changeAvailabilityStatus(
      submissionSet(patientCx),
      { target: { entryUuid: entry.entryUuid }, originalStatus: AvailabilityStatus.Approved, newStatus: AvailabilityStatus.Deprecated },
      SYSTEM_PRINCIPAL,
    );
    const requests = (r: RestHookReceiver) => r.received.map((x) => x.bundle).filter((b) => statusOf(b).type === 'event-notification').map((b) => b.entry[1].request);
    await waitFor('the update event', () => requests(withUpdates).length === 2);
    assert.deepEqual(requests(withUpdates).map((r: Json) => r.method), ['POST', 'PUT']);
    await waitFor('the create event', () => requests(createOnly).length === 1);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(requests(createOnly).length, 1, 'a create-only topic is not told of changes');
  });

  it('a replacement (RPLC) tells a MinUpdate subscription of the new document and of the one it deprecated', async () => {
    const rid = await ridWithPatient();
    const hook = await receiver();
    const filter = `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`;
    await subscribe(subscriptionResource({ topic: TOPIC.documentOrChangeOfPatient, filter, channel: 'rest-hook', endpoint: hook.url, payload: 'id-only' }));
    const patientCx = `${rid}^^^&${TEST_AUTHORITY}&ISO`;
    const original = documentEntry(patientCx, { entryUuid: `urn:uuid:${randomUUID()}` });
    assert.equal((await ctx.gw.registry.submit(submission(patientCx, { documents: [original] }), SYSTEM_PRINCIPAL)).status, 'Success');
    const replacement = documentEntry(patientCx, { entryUuid: `urn:uuid:${randomUUID()}` });
    const replaced = await ctx.gw.registry.submit(submission(patientCx, { documents: [replacement], associations: [association(AssociationType.Replace, replacement.entryUuid, original.entryUuid)] }), SYSTEM_PRINCIPAL);
    assert.equal(replaced.status, 'Success', JSON.stringify(replaced.errors));
    const seen = () => hook.received.map((x) => x.bundle).filter((b) => statusOf(b).type === 'event-notification').map((b) => [b.entry[1].request.method, idOf(b.entry[1].fullUrl)]);
    await waitFor('three events', () => seen().length >= 3);
    const plain = (e: { entryUuid: string }) => e.entryUuid.replace('urn:uuid:', '');
    assert.deepEqual(seen()[0], ['POST', plain(original)]);
    assert.deepEqual(seen().slice(1).sort(), [['POST', plain(replacement)], ['PUT', plain(original)]]);
  });

  it('an idle rest-hook subscription with a heartbeat period gets heartbeats', async () => {
    const hook = await receiver();
    const rid = freshRid();
    await subscribe(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, channel: 'rest-hook', endpoint: hook.url, heartbeatSeconds: 1 }));
    const types = () => hook.received.map((x) => statusOf(x.bundle).type);
    await waitFor('two heartbeats', () => types().filter((t) => t === 'heartbeat').length >= 2, 15_000);
    assert.equal(types()[0], 'handshake');
    assert.ok(types().every((t) => t === 'handshake' || t === 'heartbeat'), types().join());
  });

  it('refuses what it cannot serve: unknown topic, a filter the topic lacks, plain http off loopback', async () => {
    const bad = async (body: Json) => (await request(`${ctx.fhir}/Subscription`, { method: 'POST', json: body })).status;
    const rid = freshRid();
    const filter = `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`;
    assert.equal(await bad(subscriptionResource({ topic: 'http://example.org/topic', filter, channel: 'rest-hook', endpoint: 'http://127.0.0.1:9/x' })), 400);
    assert.equal(await bad(subscriptionResource({ topic: TOPIC.documentOfPatient, filter: `${filter}&creation=ge2020`, channel: 'rest-hook', endpoint: 'http://127.0.0.1:9/x' })), 400);
    assert.equal(await bad(subscriptionResource({ topic: TOPIC.documentOfPatient, filter, channel: 'rest-hook', endpoint: 'http://example.org/x' })), 400);
    assert.equal(await bad(subscriptionResource({ topic: TOPIC.documentOfPatient, channel: 'rest-hook', endpoint: 'https://example.org/x' })), 400, 'a patient-dependent topic without a patient');
    const listed = await request(`${ctx.fhir}/Subscription`);
    assert.equal(listed.status, 200);
  });

  it('a patient-context principal subscribes only to its own patient, and never to every patient', async () => {
    const own = `${freshRid()}^^^&${TEST_AUTHORITY}&ISO`;
    const other = `${freshRid()}^^^&${TEST_AUTHORITY}&ISO`;
    const principal = { subject: 'patient-app', patientId: own };
    const input = (patientId: string | undefined, topic: string) => ({
      topic: topicByUrl(topic)!,
      filter: patientId ? { patientId } : {},
      channel: { type: 'rest-hook' as const, endpoint: 'https://app.example/notify', headers: [], payload: 'id-only' as const, heartbeatSeconds: 0, timeoutSeconds: 5, maxCount: 1 },
      resource: { resourceType: 'Subscription' },
      fhirBase: ctx.fhir,
    });
    await assert.rejects(ctx.gw.subscriptions.create(principal, input(other, TOPIC.documentOfPatient)), AccessDeniedError);
    await assert.rejects(ctx.gw.subscriptions.create(principal, input(undefined, TOPIC.documentAnyPatient)), AccessDeniedError);
    await assert.rejects(ctx.gw.subscriptions.create({ subject: 'user-app', scopes: ['user/DocumentReference.rs'] }, input(undefined, TOPIC.documentAnyPatient)), AccessDeniedError);
    const created = await ctx.gw.subscriptions.create(principal, input(own, TOPIC.documentOfPatient));
    assert.equal(created.filter.patientId, own);
    // Owned by its creator: another principal neither reads nor deletes it.
    assert.equal(await ctx.gw.subscriptions.get({ subject: 'someone-else' }, created.id), undefined);
    assert.equal(await ctx.gw.subscriptions.remove({ subject: 'someone-else' }, created.id), false);
    assert.equal(await ctx.gw.subscriptions.remove(principal, created.id), true);
  });
}, { MQTT_URL, MQTT_TOPIC_PREFIX: PREFIX, SUBSCRIPTION_POLL_MS: '200', SUBSCRIPTION_RETRY_MS: '100', SUBSCRIPTION_RETRY_MAX_MS: '400', SUBSCRIPTION_ERROR_AFTER: '2' });
