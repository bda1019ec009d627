// ITI-43 Retrieve Document Set over HTTP against a gateway process on loopback: ten 1 MB
// documents per request (one MTOM part each), 16 keep-alive connections in a closed loop. The
// client reads each response to its end, checks the RegistryResponse status in its root part
// and counts the bytes, without parsing the MIME parts (its CPU is the gateway's too).
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16).
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { fillFixture } from '../test/xds/support/fixtures';
import { documentRequests, singleSubmission } from '../test/xds/support/messages';
import { postRaw, sendSoapText } from '../test/xds/support/soap-client';
import { startBenchGateway } from './http-support';
import { benchStore, latencySummary, report, runBench, runClosedLoop } from './support';
import { keepAliveAgent, succeeded } from './xds-support';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DOCUMENTS = 10;
const DOCUMENT_BYTES = 1024 * 1024;

async function main(): Promise<void> {
  const gw = await startBenchGateway({ PATIENT_CHECK: 'any' });
  const agent = keepAliveAgent(concurrency);
  const url = `${gw.baseUrl}/xds/repository`;
  try {
    // Ten 1 MB scans, provided over ITI-41. The gateway process reads the same profile, so its
    // repository is the configured one.
    const repositoryUniqueId = loadConfig({ AUTH: 'off' }).repositoryUniqueId;
    const patient = `${100_000_000 * 13}^^^&${TEST_AUTHORITY}&ISO`;
    const refs: { repositoryUniqueId: string; documentUniqueId: string }[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      const { envelope, attachments, submitted } = singleSubmission({ patient, content: randomBytes(DOCUMENT_BYTES) }, url);
      const reply = await sendSoapText(url, envelope, { attachments, agent });
      if (!succeeded(reply)) throw new Error(`seeding ITI-41 failed: ${reply.text.slice(0, 500)}`);
      refs.push({ repositoryUniqueId, documentUniqueId: submitted.docUid });
    }

    let failures = 0;
    let bytes = 0;
    const retrieve = async () => {
      const envelope = fillFixture('iti43-retrieve-many.xml', { MESSAGE_ID: randomUUID(), TO: url, DOCUMENT_REQUESTS: documentRequests(refs) });
      const res = await postRaw(url, envelope, 'application/soap+xml; charset=UTF-8', agent);
      let head = '';
      let received = 0;
      for await (const chunk of res.body) {
        if (head.length < 16_384) head += (chunk as Buffer).toString('latin1', 0, 16_384);
        received += (chunk as Buffer).length;
      }
      bytes += received;
      if (!succeeded({ status: res.status, text: head }) || received < DOCUMENTS * DOCUMENT_BYTES) failures++;
    };
    await runClosedLoop(concurrency, 2000, retrieve); // warm-up
    failures = 0;
    bytes = 0;
    const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, retrieve);
    await report(`xds-iti43-${benchStore()}`, {
      bench: 'xds-iti43',
      store: benchStore(),
      concurrency,
      scenario: `ITI-43, ${DOCUMENTS} documents of 1 MB per request, MTOM`,
      seconds: Math.round(elapsedMs) / 1000,
      requests: latenciesMs.length,
      failures,
      perSecond: Math.round((latenciesMs.length / elapsedMs) * 10000) / 10,
      responseMBps: Math.round((bytes / 1e6 / (elapsedMs / 1000)) * 10) / 10,
      latencyMs: latencySummary(latenciesMs),
      gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(),
      target: '>= 400 MB/s',
    });
  } finally {
    agent.destroy();
    await gw.stop();
  }
}

runBench(main);
