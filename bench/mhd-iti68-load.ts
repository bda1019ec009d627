// ITI-68 Retrieve Document over HTTP, the scenario both ITI-68 benchmarks share: one document
// of `documentBytes` (stored encrypted at rest: in a file, or inline in its repository row when
// small) published through ITI-65, then GET of it from 16 connections against a gateway process
// on loopback. Env: BENCH_STORE=postgres|pglite|embedded, BENCH_SECONDS (15),
// BENCH_GATEWAY_MAIN (another build's gateway, for A/B runs).
import { runDownloadLoad, startBenchGateway } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';
import { benchStore, report } from './support';

export async function runIti68Bench(name: string, documentBytes: number, target: string): Promise<void> {
  const gw = await startBenchGateway();
  try {
    const [rid] = ridPatients(1);
    await feedPatients(gw.baseUrl, [rid!]);
    const content = documentOf(documentBytes);
    const provided = await fetch(`${gw.baseUrl}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: provideBundle(rid!, content) });
    if (provided.status !== 200) throw new Error(`ITI-65 answered ${provided.status}: ${await provided.text()}`);
    const found = (await (await fetch(`${gw.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`https://ncez.mzcr.cz/fhir/sid/rid|${rid}`)}&status=current`)).json()) as {
      entry: Array<{ resource: { content: Array<{ attachment: { url: string } }> } }>;
    };
    const url = new URL(found.entry[0]!.resource.content[0]!.attachment.url);
    const check = await fetch(url);
    if (!Buffer.from(await check.arrayBuffer()).equals(content)) throw new Error('retrieved bytes differ from the provided document');
    const load = await runDownloadLoad(`${gw.baseUrl}${url.pathname}${url.search}`);
    if (load.non2xx > 0 || load.errors > 0) throw new Error(`${load.non2xx} answers other than 2xx and ${load.errors} errors under load`);
    const result = { scenario: name, store: benchStore(), documentBytes: content.length, ...load, gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(), target };
    await report(`${name}-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}
