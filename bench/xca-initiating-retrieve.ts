// A remote document through the XCA Initiating Gateway: gateway A's /xca/initiating-gateway
// answers ITI-43 for a document of community B (another gateway process on loopback) by ITI-39 to
// B's Responding Gateway, streaming the MTOM part through. Two figures:
//  - a BENCH_MB (default 500) document: A's resident memory while it streams through (a document
//    held whole would push it past its size), the transfer rate, the bytes checked by SHA-1;
//  - a 1 MB document retrieved BENCH_RETRIEVES times (default 50) in a row: the latency a client
//    sees on what would be a cache miss. Targets: memory < 300 MB; 1 MB p95 < 200 ms.
// Env: BENCH_STORE, BENCH_MB, BENCH_RETRIEVES.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/config';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { fillFixture } from '../test/xds/support/fixtures';
import { documentRequests, singleSubmission } from '../test/xds/support/messages';
import { registryResult } from '../test/xds/support/responses';
import { sendSoap } from '../test/xds/support/soap-client';
import { readRetrievedDocuments } from './xds-support';
import { startBenchGateway } from './http-support';
import { benchStore, latencySummary, report, runBench } from './support';

const megabytes = Number(process.env.BENCH_MB ?? 500);
const retrieves = Number(process.env.BENCH_RETRIEVES ?? 50);
const BLOCK = randomBytes(1024 * 1024);
const COMMUNITY_B = 'urn:oid:1.2.203.99.77';
const PATIENT = `${100_000_007 * 13}^^^&${TEST_AUTHORITY}&ISO`;
const REPOSITORY = loadConfig({ AUTH: 'off' }).repositoryUniqueId;

function blocks(count: number): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < count; i++) yield BLOCK;
  })());
}

async function publish(baseUrl: string, mb: number): Promise<string> {
  const url = `${baseUrl}/xds/repository`;
  const hash = createHash('sha1');
  for (let i = 0; i < mb; i++) hash.update(BLOCK);
  const { envelope, attachments, submitted } = singleSubmission({ patient: PATIENT, content: Buffer.alloc(0), hash: hash.digest('hex'), size: mb * 1024 * 1024 }, url);
  const reply = await sendSoap(url, envelope, { attachments: [{ ...attachments[0]!, content: blocks(mb) }] });
  const status = registryResult(reply).status;
  await reply.message.dispose();
  if (status !== 'Success') throw new Error(`ITI-41 of ${mb} MB at B: ${status}`);
  return submitted.docUid;
}

/** ITI-43 at A for B's document; resolves with its bytes and SHA-1 as read. */
async function retrieve(baseUrl: string, uid: string): Promise<{ bytes: number; sha1: string }> {
  const url = `${baseUrl}/xca/initiating-gateway`;
  const reply = await sendSoap(url, fillFixture('iti43-retrieve-many.xml', { MESSAGE_ID: randomUUID(), TO: url, DOCUMENT_REQUESTS: documentRequests([{ homeCommunityId: COMMUNITY_B, repositoryUniqueId: REPOSITORY, documentUniqueId: uid }]) }));
  try {
    if (registryResult(reply).status !== 'Success') throw new Error(`ITI-43 through A: ${JSON.stringify(registryResult(reply).errors)}`);
    return await readRetrievedDocuments(reply);
  } finally {
    await reply.message.dispose();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-xca-retrieve-'));
  const b = await startBenchGateway({ PATIENT_CHECK: 'any', HOME_COMMUNITY_ID: COMMUNITY_B });
  let a: Awaited<ReturnType<typeof startBenchGateway>> | undefined;
  try {
    const file = path.join(dir, 'communities.json');
    const rg = `${b.baseUrl}/xca/responding-gateway`;
    await writeFile(file, JSON.stringify({ [COMMUNITY_B]: { name: 'B', xca: { queryUrl: rg, retrieveUrl: rg }, timeoutMs: 30_000 } }));
    a = await startBenchGateway({ PATIENT_CHECK: 'any', COMMUNITIES_FILE: file });
    const small = await publish(b.baseUrl, 1);
    const large = await publish(b.baseUrl, megabytes);
    await new Promise((r) => setTimeout(r, 500));
    const idleRssMb = a.peakRssMb();

    for (let i = 0; i < 5; i++) await retrieve(a.baseUrl, small); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < retrieves; i++) {
      const t = performance.now();
      const got = await retrieve(a.baseUrl, small);
      latencies.push(performance.now() - t);
      if (got.bytes !== 1024 * 1024) throw new Error(`1 MB came back as ${got.bytes} bytes`);
    }

    const t = performance.now();
    const got = await retrieve(a.baseUrl, large);
    const seconds = (performance.now() - t) / 1000;
    const expected = createHash('sha1');
    for (let i = 0; i < megabytes; i++) expected.update(BLOCK);
    await report(`xca-initiating-retrieve-${benchStore()}`, {
      bench: 'xca-initiating-retrieve',
      store: benchStore(),
      scenario: 'ITI-43 at gateway A for a document of community B, through ITI-39 (no cache), loopback',
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      oneMb: { retrieves, latencyMs: latencySummary(latencies) },
      large: { documentMb: megabytes, seconds: Math.round(seconds * 10) / 10, MBps: Math.round((megabytes * 1.048576) / seconds), identical: got.bytes === megabytes * 1024 * 1024 && got.sha1 === expected.digest('hex') },
      initiatingGatewayIdleRssMb: idleRssMb,
      initiatingGatewayPeakRssMb: a.peakRssMb(), initiatingGatewayPeakPssMb: a.peakPssMb(),
      respondingGatewayPeakRssMb: b.peakRssMb(),
      target: '1 MB remote document p95 < 200 ms (cache miss); initiating gateway < 300 MB while a 500 MB document streams through',
    });
  } finally {
    await a?.stop();
    await b.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
