// Gateway memory while one 500 MB document goes in over ITI-41 (MTOM) and comes back over
// ITI-43, then over ITI-68 (MHD Binary), against a gateway process on loopback. The client produces and consumes the bytes as
// streams; the gateway's resident memory is sampled while it works (bench/http-support.ts).
// A document held whole anywhere would push the peak past 500 MB.
// Env: BENCH_STORE=postgres|pglite, BENCH_MB (default 500).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/config';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { fillFixture } from '../test/xds/support/fixtures';
import { documentRequests, singleSubmission } from '../test/xds/support/messages';
import { registryResult } from '../test/xds/support/responses';
import { sendSoap } from '../test/xds/support/soap-client';
import { readRetrievedDocuments } from './xds-support';
import { startBenchGateway } from './http-support';
import { benchStore, report, runBench } from './support';

const megabytes = Number(process.env.BENCH_MB ?? 500);
const BLOCK = randomBytes(1024 * 1024);

/** The document: BLOCK repeated, produced as it is sent. */
function document(): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < megabytes; i++) yield BLOCK;
  })());
}

async function main(): Promise<void> {
  const gw = await startBenchGateway({ PATIENT_CHECK: 'any' });
  try {
    const url = `${gw.baseUrl}/xds/repository`;
    const hash = createHash('sha1');
    for (let i = 0; i < megabytes; i++) hash.update(BLOCK);
    const sha1 = hash.digest('hex');
    await new Promise((r) => setTimeout(r, 500)); // a sample or two of the idle gateway
    const idleRssMb = gw.peakRssMb();

    let t = performance.now();
    // The metadata carries the real hash and size; the MIME part streams document().
    const { envelope, attachments, submitted } = singleSubmission({ patient: `${100_000_007 * 13}^^^&${TEST_AUTHORITY}&ISO`, content: Buffer.alloc(0), hash: sha1, size: megabytes * 1024 * 1024 }, url);
    const provided = await sendSoap(url, envelope, { attachments: [{ ...attachments[0]!, content: document() }] });
    const status = registryResult(provided).status;
    await provided.message.dispose();
    const uploadSeconds = (performance.now() - t) / 1000;
    const afterUploadPeakMb = gw.peakRssMb();
    if (status !== 'Success') throw new Error(`ITI-41 of ${megabytes} MB: ${status}`);

    t = performance.now();
    const retrieved = await sendSoap(url, fillFixture('iti43-retrieve-many.xml', {
      MESSAGE_ID: randomUUID(),
      TO: url,
      DOCUMENT_REQUESTS: documentRequests([{ repositoryUniqueId: loadConfig({ AUTH: 'off' }).repositoryUniqueId, documentUniqueId: submitted.docUid }]),
    }));
    const iti43 = await readRetrievedDocuments(retrieved);
    await retrieved.message.dispose();
    const downloadSeconds = (performance.now() - t) / 1000;
    const afterIti43PeakMb = gw.peakRssMb();

    // The same document over ITI-68, read as it arrives.
    t = performance.now();
    const repositoryUniqueId = loadConfig({ AUTH: 'off' }).repositoryUniqueId;
    const binary = await fetch(`${gw.baseUrl}/fhir/Binary/${encodeURIComponent(submitted.docUid)}?repositoryUniqueId=${encodeURIComponent(repositoryUniqueId)}`);
    let mhdBytes = 0;
    const mhdCheck = createHash('sha1');
    for await (const chunk of binary.body!) {
      mhdBytes += chunk.length;
      mhdCheck.update(chunk);
    }
    const mhdSeconds = (performance.now() - t) / 1000;
    await report(`xds-memory-${benchStore()}`, {
      bench: 'xds-memory',
      store: benchStore(),
      documentMb: megabytes,
      gatewayIdleRssMb: idleRssMb,
      iti41: { seconds: Math.round(uploadSeconds * 10) / 10, MBps: Math.round((megabytes * 1.048576) / uploadSeconds) },
      gatewayPeakRssAfterIti41Mb: afterUploadPeakMb,
      iti43: { seconds: Math.round(downloadSeconds * 10) / 10, MBps: Math.round((megabytes * 1.048576) / downloadSeconds), identical: iti43.bytes === megabytes * 1024 * 1024 && iti43.sha1 === sha1 },
      gatewayPeakRssAfterIti43Mb: afterIti43PeakMb,
      iti68: { status: binary.status, seconds: Math.round(mhdSeconds * 10) / 10, MBps: Math.round((megabytes * 1.048576) / mhdSeconds), identical: mhdBytes === megabytes * 1024 * 1024 && mhdCheck.digest('hex') === sha1 },
      gatewayPeakRssMb: gw.peakRssMb(), gatewayPeakPssMb: gw.peakPssMb(),
      target: 'gateway memory < 300 MB during a 500 MB ITI-41, ITI-43 and ITI-68',
    });
  } finally {
    await gw.stop();
  }
}

runBench(main);
