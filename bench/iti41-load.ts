// The ITI-41 load the ITI-41 benchmarks share: Provide and Register of one document as MTOM
// from 16 keep-alive connections in a closed loop, each request new metadata (fresh uniqueIds)
// for one of 1000 patients. Bench gateways run with PATIENT_CHECK=any, so no feed is needed.
import type http from 'node:http';
import { TEST_AUTHORITY } from '../test/support/metadata-builders';
import { singleSubmission } from '../test/xds/support/messages';
import { sendSoapText } from '../test/xds/support/soap-client';
import type { BenchGateway } from './http-support';
import { runClosedLoop } from './support';
import { succeeded } from './xds-support';

export const ITI41_GATEWAY_ENV = { PATIENT_CHECK: 'any' };

const patients = Array.from({ length: 1000 }, (_, i) => `${(100_000_000 + i) * 13}^^^&${TEST_AUTHORITY}&ISO`);

export interface Iti41Run {
  latenciesMs: number[];
  elapsedMs: number;
  failures: number;
}

export async function iti41Load(gw: BenchGateway, agent: http.Agent, content: Buffer, concurrency: number, durationMs: number): Promise<Iti41Run> {
  const url = `${gw.baseUrl}/xds/repository`;
  let failures = 0;
  const provide = async (worker: number, i: number) => {
    const patient = patients[(worker * 7919 + i) % patients.length]!;
    const { envelope, attachments } = singleSubmission({ patient, content, packaging: 'mtom' }, url);
    if (!succeeded(await sendSoapText(url, envelope, { attachments, agent }))) failures++;
  };
  const run = await runClosedLoop(concurrency, durationMs, provide);
  return { ...run, failures };
}
