// XCA Initiating Gateway fan-out, two figures:
//  1. latency: ITI-18 FindDocuments to a gateway process's /xca/initiating-gateway, which asks
//     five communities (bench/xca-responder.ts: stand-in Responding Gateways, each answering two
//     DocumentEntries after a fixed delay, the slowest BENCH_SLOWEST_MS) through BullMQ jobs on a
//     throwaway Redis, merged with the local registry's (empty) answer. Target: p95 within the
//     slowest community's delay + 30 ms.
//  2. queue: fan-outs of five jobs each through the BullMQ adapter (CommunityFanOut with a
//     transport that answers at once, so only the queue is measured: enqueue, a worker, the
//     result back through QueueEvents). Target: 1,000 fan-out jobs per second.
// Env: BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 8), BENCH_QUEUE_CONCURRENCY
// (fan-outs in flight in part 2, default 40), BENCH_SLOWEST_MS (default 60), BENCH_STORE,
// BENCH_JOBS=bullmq|in-process (the gateway's community calls in part 1; default bullmq).
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Community } from '../src/communities/community';
import { CommunityDirectory } from '../src/communities/community-directory';
import { CommunityHealth } from '../src/communities/community-health';
import { CommunityFanOut, type CommunityJobQueue } from '../src/communities/fan-out';
import type { CommunityTransport, RemoteQueryAnswer } from '../src/communities/ports';
import { AvailabilityStatus } from '../src/domain/metadata';
import { StoredQueryId } from '../src/domain/stored-query-catalog';
import { BullMqJobQueue } from '../src/jobs/bullmq-queue';
import { validateStoredQuery } from '../src/xds/stored-query-request';
import { startRedis } from '../test/support/redis-process';
import { fillFixture, xml } from '../test/xds/support/fixtures';
import { quoted, slot } from '../test/xds/support/messages';
import { sendSoapText } from '../test/xds/support/soap-client';
import { ticksToMs, treeTicks } from './cpu-usage';
import { startBenchGateway } from './http-support';
import { benchStore, latencySummary, report, runBench, runClosedLoop } from './support';
import { keepAliveAgent, succeeded } from './xds-support';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const queueConcurrency = Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 40);
const slowest = Number(process.env.BENCH_SLOWEST_MS ?? 60);
const DELAYS = [slowest / 6, slowest / 3, slowest / 2, (slowest * 2) / 3, slowest].map(Math.round);
const PATIENT = '7608139877^^^&1.2.203.24341.1.1&ISO';
const EXTRINSIC_OBJECT = '<rim:ExtrinsicObject ';
const jobsBackend = process.env.BENCH_JOBS === 'in-process' ? 'in-process' : 'bullmq';

async function startResponders(): Promise<{ ports: number[]; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'xca-responder.js'), ...DELAYS.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as number[]));
    child.once('exit', (code) => reject(new Error(`the responders exited with ${code}`)));
  });
  return { ports, stop: () => child.kill() };
}

const communityId = (i: number) => `urn:oid:1.2.203.99.${100 + i}`;

function findDocuments(url: string): string {
  const slots = [slot('$XDSDocumentEntryPatientId', quoted(PATIENT)), slot('$XDSDocumentEntryStatus', quoted(AvailabilityStatus.Approved))].join('');
  return fillFixture('iti18-stored-query.xml', { MESSAGE_ID: randomUUID(), TO: url, QUERY_ID: StoredQueryId.FindDocuments, RETURN_TYPE: 'LeafClass', SLOTS: xml(slots) });
}

async function latency(redisUrl: string, ports: number[], dir: string) {
  const file = path.join(dir, 'communities.json');
  await writeFile(file, JSON.stringify(Object.fromEntries(ports.map((p, i) => [communityId(i), { name: `community ${i}`, xca: { queryUrl: `http://127.0.0.1:${p}/xca`, retrieveUrl: `http://127.0.0.1:${p}/xca` }, timeoutMs: 5000 }]))));
  const gw = await startBenchGateway({ COMMUNITIES_FILE: file, PATIENT_CHECK: 'any', ...(jobsBackend === 'bullmq' ? { REDIS_URL: redisUrl } : {}) });
  const url = `${gw.baseUrl}/xca/initiating-gateway`;
  const agent = keepAliveAgent(concurrency);
  try {
    let failures = 0;
    let objects = 0;
    const ask = async () => {
      const reply = await sendSoapText(url, findDocuments(url), { agent });
      if (!succeeded(reply)) failures++;
      objects += reply.text.split(EXTRINSIC_OBJECT).length - 1;
    };
    await runClosedLoop(concurrency, 3000, ask); // warm-up: connections, prepared statements
    failures = 0;
    objects = 0;
    const ticks = treeTicks(gw.pid);
    const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, ask);
    // Load-independent: the gateway's CPU per fan-out (with its BullMQ, audit and ITI-38 work).
    const gatewayCpuMsPerQuery = Math.round((ticksToMs(ticks, treeTicks(gw.pid)) / Math.max(1, latenciesMs.length)) * 100) / 100;
    return { queries: latenciesMs.length, seconds: Math.round(elapsedMs) / 1000, failures, meanDocumentsPerResponse: Math.round((objects / Math.max(1, latenciesMs.length)) * 10) / 10, latencyMs: latencySummary(latenciesMs), gatewayCpuMsPerQuery, gatewayPeakRssMb: gw.peakRssMb() };
  } finally {
    agent.destroy();
    await gw.stop();
  }
}

async function queueThroughput(redisUrl: string) {
  const communities: Community[] = DELAYS.map((_, i) => ({ homeCommunityId: communityId(i), name: `c${i}`, xca: { queryUrl: 'http://unused', retrieveUrl: 'http://unused' }, tlsOptions: {}, auth: { type: 'none' }, timeoutMs: 5000 }));
  const answer: RemoteQueryAnswer = { status: 'Success', objects: [], objectRefs: [], errors: [] };
  const transport: CommunityTransport = { query: async () => answer, retrieve: async () => Promise.reject(new Error('unused')) };
  const jobs = new BullMqJobQueue(redisUrl, `bench-fanout-${randomUUID()}`, { concurrency: 64 });
  const fanOut = new CommunityFanOut({ localCommunityId: 'urn:oid:1.2.203.99.1', directory: CommunityDirectory.of(communities), jobs: jobs as unknown as CommunityJobQueue, health: new CommunityHealth(), transport, options: { keepResultMs: 60_000 } });
  fanOut.registerJobs();
  await jobs.start();
  let failures = 0;
  const query = validateStoredQuery({ queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryPatientId: [[PATIENT]], $XDSDocumentEntryStatus: [[AvailabilityStatus.Approved]] } });
  const run = async () => {
    const r = await fanOut.query({ requestId: randomUUID(), query, communities: 'all', principal: { subject: 'bench' } });
    if (r.errors.length > 0) failures++;
  };
  try {
    await runClosedLoop(queueConcurrency, 2000, run);
    failures = 0;
    const { latenciesMs, elapsedMs } = await runClosedLoop(queueConcurrency, seconds * 1000, run);
    const fanOuts = latenciesMs.length;
    return { fanOuts, jobs: fanOuts * communities.length, seconds: Math.round(elapsedMs) / 1000, failures, jobsPerSecond: Math.round((fanOuts * communities.length) / (elapsedMs / 1000)), fanOutLatencyMs: latencySummary(latenciesMs) };
  } finally {
    await jobs.close();
  }
}

async function main(): Promise<void> {
  const redis = await startRedis('redis-server');
  const responders = await startResponders();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-xca-'));
  try {
    const fanOut = await latency(`${redis.url}/1`, responders.ports, dir);
    const queue = await queueThroughput(`${redis.url}/2`);
    await report(`xca-fanout-${benchStore()}${jobsBackend === 'bullmq' ? '' : '-in-process'}`, {
      bench: 'xca-fanout',
      store: benchStore(),
      jobs: jobsBackend,
      scenario: `ITI-18 FindDocuments at /xca/initiating-gateway over ${DELAYS.length} communities answering after ${DELAYS.join('/')} ms (${jobsBackend} jobs), closed loop of ${concurrency}; then the BullMQ queue alone, ${queueConcurrency} fan-outs of ${DELAYS.length} jobs in flight`,
      slowestCommunityMs: slowest,
      // The machine is shared: its load during the run says how far the latencies are to be trusted.
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      fanOut: { ...fanOut, p95OverSlowestMs: Math.round((fanOut.latencyMs.p95 - slowest) * 10) / 10 },
      queue,
      perSecond: Math.round(fanOut.queries / fanOut.seconds),
      target: `fan-out p95 <= slowest + 30 ms (${slowest + 30} ms); queue >= 1,000 fan-out jobs/s`,
      met: { fanOutP95: fanOut.latencyMs.p95 <= slowest + 30, queueJobsPerSecond: queue.jobsPerSecond >= 1000 },
    });
  } finally {
    responders.stop();
    await redis.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
