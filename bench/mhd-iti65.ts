// ITI-65 Provide Document Bundle over HTTP: one-document bundles (List + DocumentReference +
// Binary, 10 KB document), 16 connections, against a gateway process on loopback.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (15), BENCH_DOC_BYTES (10240).
import { benchStore, report, runBench } from './support';
import { startBenchGateway, runLoad } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';

async function main(): Promise<void> {
  const gw = await startBenchGateway();
  try {
    const patients = ridPatients(200);
    await feedPatients(gw.baseUrl, patients);
    const content = documentOf(Number(process.env.BENCH_DOC_BYTES ?? 10_240));
    let i = 0;
    const load = await runLoad({
      url: `${gw.baseUrl}/fhir`,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/fhir+json' }, setupRequest: (req) => ({ ...req, body: provideBundle(patients[i++ % patients.length]!, content) }) }],
    });
    const result = { scenario: 'mhd-iti65', store: benchStore(), documentBytes: content.length, ...load, gatewayPeakRssMb: gw.peakRssMb(), target: '>= 1000/s, p95 <= 40 ms (PostgreSQL)' };
    await report(`mhd-iti65-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}

runBench(main);
