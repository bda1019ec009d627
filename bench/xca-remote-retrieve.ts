// A remote document read through this gateway (ITI-68 routed by homeCommunityId): gateway A
// asks community B (another gateway process, its own schema) over MHD. Per 1 MB document: time
// to the last byte at the client on a cache miss (A looks the document up in B, fetches it
// into its encrypted cache, then streams it) and on a hit (A's cache only), one request at a
// time; B's own local ITI-68 of the same documents, measured the same way, is the reference.
// Then one large document (BENCH_MB, default 500; 0 skips it) goes into B over ITI-41 (MTOM,
// streamed) and through A on a miss, while A's resident memory is sampled.
// Env: BENCH_STORE=postgres|pglite, BENCH_VIA=mhd|xca (how A reaches B; mhd), BENCH_DOCS (30),
// BENCH_HITS (300), BENCH_MB (500).
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { singleSubmission } from '../test/xds/support/messages';
import { registryResult } from '../test/xds/support/responses';
import { sendSoap } from '../test/xds/support/soap-client';
import { ticksToMs, treeTicks } from './cpu-usage';
import { startBenchGateway, type BenchGateway } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';
import { benchStore, latencySummary, report, runBench } from './support';

const A_HCID = 'urn:oid:1.2.203.99.101';
const B_HCID = 'urn:oid:1.2.203.99.102';
const RID = 'https://ncez.mzcr.cz/fhir/sid/rid';
const docs = Number(process.env.BENCH_DOCS ?? 30);
const hits = Number(process.env.BENCH_HITS ?? 300);
const bigMb = Number(process.env.BENCH_MB ?? 500);
const via = process.env.BENCH_VIA === 'xca' ? 'xca' : 'mhd';

/** GET to the last byte; ms and bytes. */
async function timedGet(url: string): Promise<{ ms: number; bytes: number; cache: string | null }> {
  const t = performance.now();
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  let bytes = 0;
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { ms: performance.now() - t, bytes, cache: r.headers.get('x-cache') };
}

async function urlsOf(gw: BenchGateway, rid: string, hcid?: string): Promise<Array<{ url: string; size: number }>> {
  const q = `patient.identifier=${encodeURIComponent(`${RID}|${rid}`)}&status=current&_count=1000${hcid ? `&hcid=${encodeURIComponent(hcid)}` : ''}`;
  const r = await fetch(`${gw.baseUrl}/fhir/DocumentReference?${q}`);
  if (r.status !== 200) throw new Error(`ITI-67: ${r.status} ${await r.text()}`);
  const bundle = (await r.json()) as { entry?: Array<{ search: { mode: string }; resource: { content: Array<{ attachment: { url: string; size: number } }> } }> };
  return (bundle.entry ?? []).filter((e) => e.search.mode === 'match').map((e) => e.resource.content[0]!.attachment);
}

/** ITI-41 of a `megabytes` document whose bytes are produced as they are sent. */
async function provideLarge(b: BenchGateway, megabytes: number, rid: string): Promise<void> {
  const block = randomBytes(1024 * 1024);
  const hash = createHash('sha1');
  for (let i = 0; i < megabytes; i++) hash.update(block);
  const url = `${b.baseUrl}/xds/repository`;
  const { envelope, attachments } = singleSubmission({ patient: `${rid}^^^&${TEST_AUTHORITY}&ISO`, content: Buffer.alloc(0), hash: hash.digest('hex'), size: megabytes * 1024 * 1024 }, url);
  const content = Readable.from((function* () {
    for (let i = 0; i < megabytes; i++) yield block;
  })());
  const provided = await sendSoap(url, envelope, { attachments: [{ ...attachments[0]!, content }] });
  const status = registryResult(provided).status;
  await provided.message.dispose();
  if (status !== 'Success') throw new Error(`ITI-41 of ${megabytes} MB: ${status}`);
}

async function main(): Promise<void> {
  const b = await startBenchGateway({ HOME_COMMUNITY_ID: B_HCID, PATIENT_CHECK: 'any' });
  let a: BenchGateway | undefined;
  try {
    const [rid, bigRid] = ridPatients(2);
    await feedPatients(b.baseUrl, [rid!, bigRid!]);
    const content = documentOf(1_048_576);
    for (let i = 0; i < docs; i++) {
      const r = await fetch(`${b.baseUrl}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: provideBundle(rid!, content) });
      if (r.status !== 200) throw new Error(`ITI-65 answered ${r.status}: ${await r.text()}`);
    }
    const directory = path.join(os.tmpdir(), `bench-communities-${process.pid}.json`);
    const endpoint = via === 'mhd' ? { mhd: { baseUrl: `${b.baseUrl}/fhir` } } : { xca: { queryUrl: `${b.baseUrl}/xca/responding-gateway`, retrieveUrl: `${b.baseUrl}/xca/responding-gateway` } };
    await writeFile(directory, JSON.stringify({ [B_HCID]: { name: 'B', ...endpoint, timeoutMs: 120_000 } }));
    a = await startBenchGateway({ HOME_COMMUNITY_ID: A_HCID, COMMUNITIES_FILE: directory, REMOTE_CACHE_MAX_BYTES: String(4 * 1024 ** 3) });

    const local = await urlsOf(b, rid!);
    const remote = await urlsOf(a, rid!, B_HCID);
    if (remote.length !== docs || local.length !== docs) throw new Error(`found ${remote.length} remote and ${local.length} local documents, expected ${docs}`);

    await timedGet(local[0]!.url); // warm-up of B's read path, outside the figures
    const localMs: number[] = [];
    const localTicks = treeTicks(b.pid);
    for (let i = 0; i < hits; i++) localMs.push((await timedGet(local[i % local.length]!.url)).ms);
    const localCpuMs = ticksToMs(localTicks, treeTicks(b.pid)) / hits;

    const missMs: number[] = [];
    for (const { url } of remote) {
      const r = await timedGet(url);
      if (r.cache !== 'MISS' || r.bytes !== content.length) throw new Error(`first read: ${r.cache}, ${r.bytes} bytes`);
      missMs.push(r.ms);
    }
    const hitMs: number[] = [];
    const ticks = treeTicks(a.pid);
    for (let i = 0; i < hits; i++) {
      const r = await timedGet(remote[i % remote.length]!.url);
      if (r.cache !== 'HIT') throw new Error(`read ${i} again: ${r.cache}`);
      hitMs.push(r.ms);
    }
    const hitCpuMs = ticksToMs(ticks, treeTicks(a.pid)) / hits;

    let large: object = { skipped: true };
    if (bigMb > 0) {
      await provideLarge(b, bigMb, bigRid!);
      const [big] = await urlsOf(a, bigRid!, B_HCID);
      const beforeMb = a.peakRssMb();
      const read = await timedGet(big!.url);
      if (read.bytes !== bigMb * 1024 * 1024) throw new Error(`large read: ${read.bytes} bytes`);
      await new Promise((r) => setTimeout(r, 400)); // the sampler's last look
      large = { megabytes: bigMb, cache: read.cache, seconds: Number((read.ms / 1000).toFixed(1)), gatewayAPeakRssMbBefore: beforeMb, gatewayAPeakRssMb: a.peakRssMb(), gatewayBPeakRssMb: b.peakRssMb(), target: 'gateway A < 300 MB' };
    }
    await report(`xca-remote-retrieve-${via}-${benchStore()}`, {
      scenario: 'xca-remote-retrieve',
      store: benchStore(),
      transport: via === 'mhd' ? 'MHD (ITI-67 + ITI-68) over plain HTTP on loopback' : 'XCA (ITI-38 + ITI-39) over plain HTTP on loopback',
      documentBytes: content.length,
      miss: { ...latencySummary(missMs), target: 'p95 < 200 ms' },
      hit: { ...latencySummary(hitMs), cpuMsPerRequest: Number(hitCpuMs.toFixed(2)), target: 'p95 < 20 ms' },
      localIti68AtB: { ...latencySummary(localMs), cpuMsPerRequest: Number(localCpuMs.toFixed(2)) },
      large,
    });
  } finally {
    await a?.stop();
    await b.stop();
  }
}

runBench(main);
