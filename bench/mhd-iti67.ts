// ITI-67 Find Document References over HTTP: search by patient and status, with N
// DocumentReferences over P patients already registered (default 1,000,000 over 100,000),
// 16 connections, against a gateway process on loopback.
// Env: BENCH_STORE=postgres|pglite, BENCH_DOCS, BENCH_PATIENTS, BENCH_SECONDS (15), BENCH_SCHEMA (reuse a loaded schema).
import { benchPatientNumber, documentsLoader } from './document-loader';
import { runLoad, startBenchGateway } from './http-support';
import { benchStore, report, runBench } from './support';

const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
const docs = Number(process.env.BENCH_DOCS ?? 1_000_000);
const patients = Number(process.env.BENCH_PATIENTS ?? Math.max(1, Math.round(docs / 10)));

async function main(): Promise<void> {
  const gw = await startBenchGateway({}, documentsLoader(docs, patients));
  try {
    const search = (p: number) => `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${benchPatientNumber(p)}`)}&status=current`;
    const probe = await fetch(`${gw.baseUrl}${search(1)}`, { headers: { accept: 'application/fhir+json' } });
    const bundle = (await probe.json()) as { total?: number };
    if (probe.status !== 200 || !bundle.total) throw new Error(`probe search answered ${probe.status}, total ${bundle.total}`);
    const load = await runLoad({
      url: gw.baseUrl,
      requests: [{ method: 'GET', headers: { accept: 'application/fhir+json' }, setupRequest: (req) => ({ ...req, path: search(Math.floor(Math.random() * patients)) }) }],
    });
    const result = { scenario: 'mhd-iti67', store: benchStore(), documents: docs, patients, matchesPerSearch: bundle.total, ...load, gatewayPeakRssMb: gw.peakRssMb(), target: 'p95 <= 15 ms at >= 1500/s (PostgreSQL)' };
    await report(`mhd-iti67-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}

runBench(main);
