// ITI-41 Provide and Register over HTTP against a gateway process on loopback: one small
// document, then one 1 MB document, each as MTOM, from 16 keep-alive connections in a closed
// loop. Every request registers new metadata (fresh uniqueIds) for one of 1000 patients.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16),
// BENCH_SCENARIOS=small,1mb (default both).
import { randomBytes } from 'node:crypto';
import { startBenchGateway } from './http-support';
import { ITI41_GATEWAY_ENV, iti41Load } from './iti41-load';
import { benchStore, report, runBench } from './support';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const gw = await startBenchGateway(ITI41_GATEWAY_ENV);
  const scenarios: object[] = [];
  try {
    const wanted = (process.env.BENCH_SCENARIOS ?? 'small,1mb').split(',');
    const all = [
      ['small', 'ITI-41, one small document (1 KB), MTOM', randomBytes(1024), '>= 500 per second, p95 <= 100 ms'],
      ['1mb', 'ITI-41, one 1 MB document, MTOM', randomBytes(1024 * 1024), '>= 200 per second, p95 <= 100 ms'],
    ] as const;
    for (const [, scenario, content, target] of all.filter(([key]) => wanted.includes(key))) {
      const r = await iti41Load(gw, content, concurrency, seconds);
      scenarios.push({
        scenario,
        generator: r.generator,
        documentBytes: content.length,
        seconds: r.seconds,
        requests: r.requests,
        failures: r.failures + r.errors,
        perSecond: r.perSecond,
        uploadMBps: Math.round(((r.perSecond * content.length) / 1e6) * 10) / 10,
        latencyMs: r.latencyMs,
        target,
      });
    }
  } finally {
    await gw.stop();
  }
  await report(`xds-iti41-${benchStore()}`, { bench: 'xds-iti41', store: benchStore(), concurrency, scenarios, gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb() });
}

runBench(main);
