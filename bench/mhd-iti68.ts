// ITI-68 Retrieve Document over HTTP: GET of one 1 MB document (stored encrypted at rest),
// 16 connections, against a gateway process on loopback.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (15), BENCH_DOC_BYTES (1048576).
import { runDownloadLoad, startBenchGateway } from './http-support';
import { documentOf, feedPatients, provideBundle, ridPatients } from './mhd-bundles';
import { benchStore, report, runBench } from './support';

async function main(): Promise<void> {
  const gw = await startBenchGateway();
  try {
    const [rid] = ridPatients(1);
    await feedPatients(gw.baseUrl, [rid!]);
    const content = documentOf(Number(process.env.BENCH_DOC_BYTES ?? 1_048_576));
    const provided = await fetch(`${gw.baseUrl}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: provideBundle(rid!, content) });
    if (provided.status !== 200) throw new Error(`ITI-65 answered ${provided.status}: ${await provided.text()}`);
    const found = (await (await fetch(`${gw.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`https://ncez.mzcr.cz/fhir/sid/rid|${rid}`)}&status=current`)).json()) as {
      entry: Array<{ resource: { content: Array<{ attachment: { url: string } }> } }>;
    };
    const url = new URL(found.entry[0]!.resource.content[0]!.attachment.url);
    const check = await fetch(url);
    if (!Buffer.from(await check.arrayBuffer()).equals(content)) throw new Error('retrieved bytes differ from the provided document');
    const load = await runDownloadLoad(`${gw.baseUrl}${url.pathname}${url.search}`);
    const result = { scenario: 'mhd-iti68', store: benchStore(), documentBytes: content.length, ...load, gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(), target: '>= 500/s (PostgreSQL)' };
    await report(`mhd-iti68-${benchStore()}`, result);
  } finally {
    await gw.stop();
  }
}

runBench(main);
