// The ITI-41 load the ITI-41 benchmarks share: Provide and Register of one document as MTOM
// from 16 keep-alive connections in a closed loop, each request new metadata (fresh uniqueIds)
// for one of 1000 patients. Bench gateways run with PATIENT_CHECK=any, so no feed is needed.
// wrk sends the requests when it is installed (see wrk-load.ts), else a node:http closed loop.
import { buffer } from 'node:stream/consumers';
import { writeMtom } from '../src/soap';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { singleSubmission } from '../test/xds/support/messages';
import { sendSoapText } from '../test/xds/support/soap-client';
import type { BenchGateway, LoadResult } from './http-support';
import { latencySummary, runClosedLoop } from './support';
import { loadGenerator, runWrk } from './wrk-load';
import { keepAliveAgent, SUCCESS_MARKER, succeeded } from './xds-support';

export const ITI41_GATEWAY_ENV = { PATIENT_CHECK: 'any' };

const patients = Array.from({ length: 1000 }, (_, i) => `${(100_000_000 + i) * 13}^^^&${TEST_AUTHORITY}&ISO`);

/** The MTOM request with wrk's placeholders: message id, both uniqueIds and the (XML-escaped) patient. */
async function providePlaceholderRequest(url: string, content: Buffer): Promise<{ contentType: string; template: Buffer }> {
  const { envelope, attachments, submitted } = singleSubmission({ patient: '@@P@@', content, packaging: 'mtom' }, url);
  const marked = envelope
    .replace(/(urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}(<\/wsa:MessageID>)/, '$1@@U@@$2')
    .replaceAll(submitted.ssUid, '1.2.203.999.41.1.9@@O@@')
    .replaceAll(submitted.docUid, '1.2.203.999.41.2.9@@O@@');
  const { contentType, body } = writeMtom(marked, attachments);
  return { contentType, template: await buffer(body) };
}

/** `seconds` of ITI-41 with `content` as the one document (after a 2 s warm-up). */
export async function iti41Load(gw: BenchGateway, content: Buffer, concurrency: number, seconds: number): Promise<LoadResult & { generator: string; failures: number }> {
  const url = `${gw.baseUrl}/xds/repository`;
  const generator = loadGenerator();
  if (generator === 'wrk') {
    const { contentType, template } = await providePlaceholderRequest(url, content);
    const escaped = patients.map((p) => p.replaceAll('&', '&amp;'));
    const load = { url, headers: { 'content-type': contentType }, template, patients: escaped, successMarker: SUCCESS_MARKER, connections: concurrency };
    await runWrk({ ...load, seconds: 2 });
    const r = await runWrk({ ...load, seconds });
    return { generator, ...r, failures: r.non2xx };
  }
  const agent = keepAliveAgent(concurrency);
  try {
    let failures = 0;
    const provide = async (worker: number, i: number) => {
      const patient = patients[(worker * 7919 + i) % patients.length]!;
      const { envelope, attachments } = singleSubmission({ patient, content, packaging: 'mtom' }, url);
      if (!succeeded(await sendSoapText(url, envelope, { attachments, agent }))) failures++;
    };
    await runClosedLoop(concurrency, 2000, provide);
    failures = 0;
    const run = await runClosedLoop(concurrency, seconds * 1000, provide);
    const perSecond = (run.latenciesMs.length / run.elapsedMs) * 1000;
    return {
      generator,
      requests: run.latenciesMs.length,
      seconds: Math.round(run.elapsedMs) / 1000,
      perSecond: Math.round(perSecond),
      non2xx: failures,
      errors: 0,
      failures,
      latencyMs: latencySummary(run.latenciesMs),
      throughputMBps: Math.round(((perSecond * content.length) / 1e6) * 10) / 10,
    };
  } finally {
    agent.destroy();
  }
}
