// ITI-18 FindDocuments over HTTP against a gateway process on loopback, with BENCH_DOCS
// DocumentEntries registered (default 1,000,000 over 100,000 patients; bench/document-loader.ts):
// a random patient + Approved + one of five class codes, LeafClass, 16 keep-alive connections
// in a closed loop. The latency covers the whole SOAP round trip: parsing the request, the
// query, writing the ebRIM objects, sending them.
// Env: BENCH_STORE=postgres|pglite, BENCH_DOCS, BENCH_PATIENTS, BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16), BENCH_SCHEMA.
import { randomUUID } from 'node:crypto';
import { AvailabilityStatus } from '../src/domain/metadata';
import { StoredQueryId } from '../src/domain/stored-query-catalog';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { fillFixture, xml } from '../test/xds/support/fixtures';
import { quoted, slot } from '../test/xds/support/messages';
import { sendSoapText } from '../test/xds/support/soap-client';
import { benchPatientCx, CLASS_SCHEME, CLASSES, documentsLoader } from './document-loader';
import { startBenchGateway } from './http-support';
import { benchStore, latencySummary, report, runBench, runClosedLoop } from './support';
import { loadGenerator, runWrk } from './wrk-load';
import { keepAliveAgent, SUCCESS_MARKER, succeeded } from './xds-support';

const docs = Number(process.env.BENCH_DOCS ?? 1_000_000);
const patients = Number(process.env.BENCH_PATIENTS ?? Math.max(1, Math.round(docs / 10)));
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** The FindDocuments request; `slots` is its parameter markup. */
function findDocuments(url: string, slots: string): string {
  return fillFixture('iti18-stored-query.xml', { MESSAGE_ID: randomUUID(), TO: url, QUERY_ID: StoredQueryId.FindDocuments, RETURN_TYPE: 'LeafClass', SLOTS: xml(slots) });
}

/** A random patient (of the loaded ones), Approved, and one of the five class codes. */
function randomSlots(): string {
  const p = Math.floor(Math.random() * patients);
  const cls = CLASSES[Math.floor(Math.random() * CLASSES.length)]!;
  return [
    slot('$XDSDocumentEntryPatientId', quoted(benchPatientCx(p, TEST_AUTHORITY))),
    slot('$XDSDocumentEntryStatus', quoted(AvailabilityStatus.Approved)),
    slot('$XDSDocumentEntryClassCode', quoted(`${cls}^^${CLASS_SCHEME}`)),
  ].join('');
}

const EXTRINSIC_OBJECT = '<rim:ExtrinsicObject ';

interface Run { queries: number; seconds: number; failures: number; objects: number; latencyMs: ReturnType<typeof latencySummary> }

/** wrk: one request template whose slots (50,000 random draws, taken in turn) vary by request. */
async function withWrk(url: string): Promise<Run> {
  const template = findDocuments(url, '@@P@@').replace(/(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/, '$1@@U@@');
  const draws = Array.from({ length: 50_000 }, randomSlots);
  const load = { url, headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, template, patients: draws, successMarker: SUCCESS_MARKER, countMarker: EXTRINSIC_OBJECT, connections: concurrency };
  await runWrk({ ...load, seconds: 3 }); // warm-up: prepared statements, caches
  const r = await runWrk({ ...load, seconds });
  return { queries: r.requests, seconds: r.seconds, failures: r.non2xx + r.errors, objects: r.counted, latencyMs: r.latencyMs };
}

/** node:http closed loop, a fresh request each time. */
async function withNodeClient(url: string): Promise<Run> {
  const agent = keepAliveAgent(concurrency);
  try {
    let failures = 0;
    let objects = 0;
    const find = async () => {
      const reply = await sendSoapText(url, findDocuments(url, randomSlots()), { agent });
      if (!succeeded(reply)) failures++;
      objects += reply.text.split(EXTRINSIC_OBJECT).length - 1;
    };
    await runClosedLoop(concurrency, 3000, find); // warm-up: prepared statements, caches
    failures = 0;
    objects = 0;
    const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, find);
    return { queries: latenciesMs.length, seconds: Math.round(elapsedMs) / 1000, failures, objects, latencyMs: latencySummary(latenciesMs) };
  } finally {
    agent.destroy();
  }
}

async function main(): Promise<void> {
  const gw = await startBenchGateway({}, documentsLoader(docs, patients));
  const url = `${gw.baseUrl}/xds/registry`;
  try {
    const generator = loadGenerator();
    const run = generator === 'wrk' ? await withWrk(url) : await withNodeClient(url);
    await report(`xds-iti18-${benchStore()}`, {
      bench: 'xds-iti18',
      store: benchStore(),
      generator,
      documents: docs,
      patients,
      concurrency,
      scenario: 'ITI-18 FindDocuments (patient, Approved, classCode), LeafClass',
      seconds: run.seconds,
      queries: run.queries,
      failures: run.failures,
      perSecond: Math.round(run.queries / run.seconds),
      meanDocumentsPerResponse: Math.round((run.objects / Math.max(1, run.queries)) * 10) / 10,
      latencyMs: run.latencyMs,
      gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(),
      target: 'p95 <= 15 ms with 1,000,000 entries',
    });
  } finally {
    await gw.stop();
  }
}

runBench(main);
