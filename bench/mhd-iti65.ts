// ITI-65 Provide Document Bundle over HTTP: one-document bundles (List + DocumentReference +
// Binary, 10 KB document), 16 connections, against a gateway process on loopback.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (15), BENCH_DOC_BYTES (10240).
import { benchStore, report, runBench } from './support';
import { startBenchGateway } from './http-support';
import { iti65DocumentBytes, iti65Load } from './iti65-load';

async function main(): Promise<void> {
  const gw = await startBenchGateway();
  try {
    const run = await iti65Load(gw);
    await run(2); // warm-up, as the other write benchmarks: JIT, connection pool, prepared statements
    const load = await run();
    const result = { scenario: 'mhd-iti65', store: benchStore(), documentBytes: iti65DocumentBytes, ...load, gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(), target: '>= 1000/s, p95 <= 40 ms (PostgreSQL)' };
    await report(`mhd-iti65-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}

runBench(main);
