// ITI-41 Provide and Register over HTTP against a gateway process on loopback: one small
// document, then one 1 MB document, each as MTOM, from 16 keep-alive connections in a closed
// loop. Every request registers new metadata (fresh uniqueIds) for one of 1000 patients.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16).
import { randomBytes } from 'node:crypto';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { singleSubmission } from '../test/xds/support/messages';
import { sendSoapText } from '../test/xds/support/soap-client';
import { startBenchGateway } from './http-support';
import { benchStore, latencySummary, report, runBench, runClosedLoop } from './support';
import { keepAliveAgent, succeeded } from './xds-support';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  // PATIENT_CHECK=any: bench patients need no identity feed.
  const gw = await startBenchGateway({ PATIENT_CHECK: 'any' });
  const agent = keepAliveAgent(concurrency);
  const url = `${gw.baseUrl}/xds/repository`;
  const patients = Array.from({ length: 1000 }, (_, i) => `${(100_000_000 + i) * 13}^^^&${TEST_AUTHORITY}&ISO`);
  const scenarios: object[] = [];
  try {
    for (const [scenario, content, target] of [
      ['ITI-41, one small document (1 KB), MTOM', randomBytes(1024), '>= 500 per second, p95 <= 100 ms'],
      ['ITI-41, one 1 MB document, MTOM', randomBytes(1024 * 1024), '>= 200 per second, p95 <= 100 ms'],
    ] as const) {
      let failures = 0;
      const provide = async (worker: number, i: number) => {
        const patient = patients[(worker * 7919 + i) % patients.length]!;
        const { envelope, attachments } = singleSubmission({ patient, content, packaging: 'mtom' }, url);
        if (!succeeded(await sendSoapText(url, envelope, { attachments, agent }))) failures++;
      };
      await runClosedLoop(concurrency, 2000, provide); // warm-up
      failures = 0;
      const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, provide);
      const perSecond = (latenciesMs.length / elapsedMs) * 1000;
      scenarios.push({
        scenario,
        documentBytes: content.length,
        seconds: Math.round(elapsedMs) / 1000,
        requests: latenciesMs.length,
        failures,
        perSecond: Math.round(perSecond),
        uploadMBps: Math.round(((perSecond * content.length) / 1e6) * 10) / 10,
        latencyMs: latencySummary(latenciesMs),
        target,
      });
    }
  } finally {
    agent.destroy();
    await gw.stop();
  }
  await report(`xds-iti41-${benchStore()}`, { bench: 'xds-iti41', store: benchStore(), concurrency, scenarios, gatewayPeakRssMb: gw.peakRssMb() });
}

runBench(main);
