// The ITI-65 load the ITI-65 benchmarks share: one-document bundles (List + DocumentReference +
// Binary) for 200 fed patients, posted on 16 connections by wrk (or autocannon, see wrk-load.ts).
import { runLoad, type BenchGateway, type LoadResult } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';
import { loadGenerator, runWrk } from './wrk-load';

export const iti65DocumentBytes = Number(process.env.BENCH_DOC_BYTES ?? 10_240);

const HEADERS = { 'content-type': 'application/fhir+json' };

/** One bundle with wrk's placeholders for its fresh ids (entryUUID tails, uniqueId tails) and its patient. */
export function provideBundleTemplate(content: Buffer): string {
  return provideBundle('@@P@@', content)
    .replace(/(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/g, '$1@@U@@')
    .replace(/(urn:oid:2\.25\.\d+)\d{12}/g, '$1@@O@@');
}

/** Feeds the patients (once per gateway) and returns a function that runs the load. */
export async function iti65Load(gw: BenchGateway): Promise<(seconds?: number) => Promise<LoadResult & { generator: string }>> {
  const patients = ridPatients(200);
  await feedPatients(gw.baseUrl, patients);
  const content = documentOf(iti65DocumentBytes);
  const url = `${gw.baseUrl}/fhir`;
  const generator = loadGenerator();
  if (generator === 'wrk') {
    const template = provideBundleTemplate(content);
    return async (seconds) => ({ generator, ...(await runWrk({ url, headers: HEADERS, template, patients, ...(seconds !== undefined ? { seconds } : {}) })) });
  }
  let i = 0;
  return async (seconds) => ({
    generator,
    ...(await runLoad({
      url,
      ...(seconds !== undefined ? { duration: seconds } : {}),
      requests: [{ method: 'POST', headers: HEADERS, setupRequest: (req) => ({ ...req, body: provideBundle(patients[i++ % patients.length]!, content) }) }],
    })),
  });
}
