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
import { keepAliveAgent, succeeded } from './xds-support';

const docs = Number(process.env.BENCH_DOCS ?? 1_000_000);
const patients = Number(process.env.BENCH_PATIENTS ?? Math.max(1, Math.round(docs / 10)));
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const gw = await startBenchGateway({}, documentsLoader(docs, patients));
  const agent = keepAliveAgent(concurrency);
  const url = `${gw.baseUrl}/xds/registry`;
  const request = () => {
    const p = Math.floor(Math.random() * patients);
    const cls = CLASSES[Math.floor(Math.random() * CLASSES.length)]!;
    return fillFixture('iti18-stored-query.xml', {
      MESSAGE_ID: randomUUID(),
      TO: url,
      QUERY_ID: StoredQueryId.FindDocuments,
      RETURN_TYPE: 'LeafClass',
      SLOTS: xml([
        slot('$XDSDocumentEntryPatientId', quoted(benchPatientCx(p, TEST_AUTHORITY))),
        slot('$XDSDocumentEntryStatus', quoted(AvailabilityStatus.Approved)),
        slot('$XDSDocumentEntryClassCode', quoted(`${cls}^^${CLASS_SCHEME}`)),
      ].join('')),
    });
  };
  try {
    let failures = 0;
    let objects = 0;
    const find = async () => {
      const reply = await sendSoapText(url, request(), { agent });
      if (!succeeded(reply)) failures++;
      objects += reply.text.split('<rim:ExtrinsicObject ').length - 1;
    };
    await runClosedLoop(concurrency, 3000, find); // warm-up: prepared statements, caches
    failures = 0;
    objects = 0;
    const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, find);
    await report(`xds-iti18-${benchStore()}`, {
      bench: 'xds-iti18',
      store: benchStore(),
      documents: docs,
      patients,
      concurrency,
      scenario: 'ITI-18 FindDocuments (patient, Approved, classCode), LeafClass',
      seconds: Math.round(elapsedMs) / 1000,
      queries: latenciesMs.length,
      failures,
      perSecond: Math.round((latenciesMs.length / elapsedMs) * 1000),
      meanDocumentsPerResponse: Math.round((objects / Math.max(1, latenciesMs.length)) * 10) / 10,
      latencyMs: latencySummary(latenciesMs),
      gatewayPeakRssMb: gw.peakRssMb(),
      target: 'p95 <= 15 ms with 1,000,000 entries',
    });
  } finally {
    agent.destroy();
    await gw.stop();
  }
}

runBench(main);
