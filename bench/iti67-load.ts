// The ITI-67 load both ITI-67 benchmarks run: searches by patient and status over the
// documents documentsLoader registered, 16 connections, random patients.
import { benchPatientNumber } from './document-loader';
import { runLoad, type BenchGateway, type LoadResult } from './http-support';

const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';

export const benchDocs = Number(process.env.BENCH_DOCS ?? 1_000_000);
export const benchPatients = Number(process.env.BENCH_PATIENTS ?? Math.max(1, Math.round(benchDocs / 10)));

function searchPath(patient: number): string {
  return `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${benchPatientNumber(patient)}`)}&status=current`;
}

/**
 * Checks one search finds documents, then runs the load. `authorization` gives each request its
 * Authorization header (a fresh token per request, or the same one).
 */
export async function iti67Load(gw: BenchGateway, authorization?: () => string, seconds?: number): Promise<LoadResult & { matchesPerSearch: number }> {
  const headers = (): Record<string, string> => ({ accept: 'application/fhir+json', ...(authorization ? { authorization: authorization() } : {}) });
  const probe = await fetch(`${gw.baseUrl}${searchPath(1)}`, { headers: headers() });
  const bundle = (await probe.json()) as { total?: number };
  if (probe.status !== 200 || !bundle.total) throw new Error(`probe search answered ${probe.status}, total ${bundle.total}`);
  const load = await runLoad({
    url: gw.baseUrl,
    ...(seconds !== undefined ? { duration: seconds } : {}),
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, headers: headers(), path: searchPath(Math.floor(Math.random() * benchPatients)) }) }],
  });
  return { matchesPerSearch: bundle.total, ...load };
}
