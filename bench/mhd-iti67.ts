// ITI-67 Find Document References over HTTP: search by patient and status, with N
// DocumentReferences over P patients already registered (default 1,000,000 over 100,000),
// 16 connections, against a gateway process on loopback.
// Env: BENCH_STORE=postgres|pglite, BENCH_DOCS, BENCH_PATIENTS, BENCH_SECONDS (15), BENCH_SCHEMA (reuse a loaded schema).
import { documentsLoader } from './document-loader';
import { startBenchGateway } from './http-support';
import { benchDocs, benchPatients, iti67Load } from './iti67-load';
import { benchStore, report, runBench } from './support';

async function main(): Promise<void> {
  const gw = await startBenchGateway({}, documentsLoader(benchDocs, benchPatients));
  try {
    const load = await iti67Load(gw);
    const result = { scenario: 'mhd-iti67', store: benchStore(), documents: benchDocs, patients: benchPatients, ...load, gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(), target: 'p95 <= 15 ms at >= 1500/s (PostgreSQL)' };
    await report(`mhd-iti67-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}

runBench(main);
