// The ITI-65 load the ITI-65 benchmarks share: one-document bundles (List + DocumentReference +
// Binary) for 200 fed patients, posted by autocannon on 16 connections.
import { runLoad, type BenchGateway, type LoadResult } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';

export const iti65DocumentBytes = Number(process.env.BENCH_DOC_BYTES ?? 10_240);

/** Feeds the patients (once per gateway) and returns a function that runs the load. */
export async function iti65Load(gw: BenchGateway): Promise<(seconds?: number) => Promise<LoadResult>> {
  const patients = ridPatients(200);
  await feedPatients(gw.baseUrl, patients);
  const content = documentOf(iti65DocumentBytes);
  let i = 0;
  return (seconds) =>
    runLoad({
      url: `${gw.baseUrl}/fhir`,
      ...(seconds !== undefined ? { duration: seconds } : {}),
      requests: [{ method: 'POST', headers: { 'content-type': 'application/fhir+json' }, setupRequest: (req) => ({ ...req, body: provideBundle(patients[i++ % patients.length]!, content) }) }],
    });
}
