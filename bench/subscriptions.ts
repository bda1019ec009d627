// DSUBm subscriptions under ITI-65 load: the ITI-65 load of bench/mhd-iti65.ts run alternately
// without subscriptions (A) and with 1,000 active rest-hook subscriptions (B: one for each of
// the load's 200 patients, 799 for other patients, one for a probe patient), against one
// gateway process. During B a probe publishes one document at a time for its patient and
// times, at a rest-hook receiver in this process, its notification: from the request's start
// (an upper bound of commit-to-receipt) and from its response (after the commit).
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (10 per run), BENCH_ROUNDS (2),
// BENCH_MATCHING=none: the 200 load subscriptions name other patients (the cost of matching
// alone, no notification sent but the probe's).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBSCRIPTION_TOPICS } from '../src/domain/subscription';
import { RID_SYSTEM } from '../test/fhir/http/support';
import { startBenchGateway, type BenchGateway } from './http-support';
import { iti65Load } from './iti65-load';
import { cpuPerRequest, meterLoad, takeMeteredLoad } from './load-meter';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';
import { benchStore, latencySummary, report, runBench } from './support';

const SUBSCRIPTIONS = 1000;
const LOAD_PATIENTS = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

interface Receiver {
  url: string;
  loadNotifications: number;
  /** Resolves at the next probe notification. */
  nextProbe(): Promise<number>;
  close(): void;
}

async function startReceiver(): Promise<Receiver> {
  let waiting: ((at: number) => void) | undefined;
  const r = { loadNotifications: 0 } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString();
      const event = body.includes('"event-notification"');
      if (event && req.url === '/probe') waiting?.(at);
      else if (event) r.loadNotifications++;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.nextProbe = () => new Promise((resolve) => (waiting = resolve));
  r.close = () => server.close();
  return r;
}

function subscription(rid: string, endpoint: string): string {
  return JSON.stringify({
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'bench',
    criteria: SUBSCRIPTION_TOPICS[0]!.url,
    _criteria: { extension: [{ url: `${BACKPORT}backport-filter-criteria`, valueString: `DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}` }] },
    channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json', _payload: { extension: [{ url: `${BACKPORT}backport-payload-content`, valueCode: 'id-only' }] } },
  });
}

async function inParallel<T>(items: readonly T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}

async function subscribeAll(gw: BenchGateway, receiver: Receiver, probeRid: string): Promise<string[]> {
  const loadRids = process.env.BENCH_MATCHING === 'none' ? ridPatients(LOAD_PATIENTS).map((rid) => String(Number(rid) + 13 * 50_000_000)) : ridPatients(LOAD_PATIENTS);
  const others = Array.from({ length: SUBSCRIPTIONS - LOAD_PATIENTS - 1 }, (_, i) => String((869_230_770 + i) * 13));
  const wanted = [...loadRids.map((rid) => [rid, `${receiver.url}/load`]), ...others.map((rid) => [rid, `${receiver.url}/other`]), [probeRid, `${receiver.url}/probe`]] as Array<[string, string]>;
  const ids: string[] = [];
  await inParallel(wanted, 8, async ([rid, endpoint]) => {
    const res = await fetch(`${gw.baseUrl}/fhir/Subscription`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: subscription(rid, endpoint) });
    if (res.status !== 201) throw new Error(`Subscription: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  });
  return ids;
}

async function unsubscribeAll(gw: BenchGateway, ids: readonly string[]): Promise<void> {
  await inParallel(ids, 8, async (id) => {
    const res = await fetch(`${gw.baseUrl}/fhir/Subscription/${id}`, { method: 'DELETE' });
    if (res.status !== 204) throw new Error(`DELETE Subscription: ${res.status}`);
  });
}

/** Sequential probe documents until `stop`: commit-to-receipt bounds per document. */
async function probe(gw: BenchGateway, receiver: Receiver, rid: string, stop: () => boolean): Promise<{ fromRequestMs: number[]; fromResponseMs: number[]; lost: number }> {
  const content = documentOf(2048);
  const out = { fromRequestMs: [] as number[], fromResponseMs: [] as number[], lost: 0 };
  while (!stop()) {
    const received = receiver.nextProbe();
    const start = performance.now();
    const res = await fetch(`${gw.baseUrl}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: provideBundle(rid, content) });
    const responded = performance.now();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`probe ITI-65: ${res.status}`);
    const at = await Promise.race([received, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    if (at === undefined) out.lost++;
    else {
      out.fromRequestMs.push(at - start);
      out.fromResponseMs.push(Math.max(0, at - responded));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return out;
}

async function main(): Promise<void> {
  const gw = await startBenchGateway({ SUBSCRIPTION_POLL_MS: '1000' });
  const receiver = await startReceiver();
  const probeRid = String(669_230_770 * 13);
  try {
    await feedPatients(gw.baseUrl, [probeRid]);
    const run = await iti65Load(gw);
    await run(2);
    const runs: Array<Record<string, unknown>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['A-no-subscriptions', 'B-1000-subscriptions'] as const) {
        takeMeteredLoad();
        const ids = mode === 'B-1000-subscriptions' ? await subscribeAll(gw, receiver, probeRid) : [];
        receiver.loadNotifications = 0;
        let done = false;
        const probing = mode === 'B-1000-subscriptions' ? probe(gw, receiver, probeRid, () => done) : undefined;
        const load = await meterLoad(() => run(SECONDS));
        done = true;
        const probed = await probing;
        const cpu = cpuPerRequest(takeMeteredLoad());
        runs.push({
          round,
          mode,
          requestsPerSecond: Math.round(load.requests / load.seconds),
          p95Ms: load.latencyMs.p95,
          cpuMsPerRequest: cpu,
          ...(probed
            ? {
                loadNotificationsDuringLoad: receiver.loadNotifications,
                commitToReceiptFromRequestMs: latencySummary(probed.fromRequestMs),
                commitToReceiptFromResponseMs: latencySummary(probed.fromResponseMs),
                probesLost: probed.lost,
              }
            : {}),
        });
        console.log(JSON.stringify(runs.at(-1)));
        if (ids.length > 0) await unsubscribeAll(gw, ids);
      }
    }
    const mean = (mode: string, pick: (r: Record<string, unknown>) => number) => {
      const of = runs.filter((r) => r.mode === mode).map(pick);
      return Math.round(of.reduce((a, b) => a + b, 0) / of.length);
    };
    const rps = (r: Record<string, unknown>) => r.requestsPerSecond as number;
    const a = mean('A-no-subscriptions', rps);
    const b = mean('B-1000-subscriptions', rps);
    await report(`subscriptions-${benchStore()}${process.env.BENCH_MATCHING === 'none' ? '-match-only' : ''}`, {
      scenario: 'subscriptions',
      matching: process.env.BENCH_MATCHING === 'none' ? 'probe only' : 'every submission notifies one subscriber',
      store: benchStore(),
      subscriptions: SUBSCRIPTIONS,
      secondsPerRun: SECONDS,
      runs,
      iti65PerSecond: { withoutSubscriptions: a, withSubscriptions: b, drop: Number(((a - b) / a).toFixed(3)) },
      target: 'commit-to-receipt p95 < 100 ms with 1,000 subscriptions at 500 ITI-65/s; ITI-65 throughput drop <= 10%',
    });
  } finally {
    receiver.close();
    await gw.stop();
  }
}

runBench(main);
