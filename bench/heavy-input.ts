// Heavy and hostile FHIR request bodies (issue 11): for each input, a fresh gateway process
// gets that one request while test/support/event-loop-probe.ts measures the stall. Recorded per input:
// the answer (status, first diagnostics), its duration, the longest probe wait (how long
// other clients were stalled), the gateway's own event-loop delay maximum (prom-client's
// nodejs_eventloop_lag_max_seconds, reset by the scrape before the request) and the
// gateway's resident memory: peak growth during the request and what is left 1 s after; and the
// gateway main thread's longest stretch of uninterrupted work in CPU time (main-thread-cpu.ts),
// the figure a busy machine does not inflate.
// Env: BENCH_STORE=postgres|pglite, BENCH_HEAVY_ONLY=name,name (a subset of the inputs).
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { longestCpuStretchMs } from './main-thread-cpu';
import { startBenchGateway, type BenchGateway } from './http-support';
import { documentOf, feedPatients, manyDocumentsBundle, provideBundleObject, ridPatients } from './mhd-bundles';
import { benchStore, report, runBench } from './support';
import { deepJsonBundle, deepXmlBundle, manyEntriesJsonBundle, wideXmlBundle } from '../test/fhir/http/heavy-bodies';
import { FHIR_JSON, FHIR_XML, toXml } from '../test/fhir/http/support';
import { measureStall } from '../test/support/event-loop-probe';
import { DEFAULT_FHIR_INPUT_LIMITS } from '../src/fhir/http/limits';

interface Input {
  name: string;
  contentType: string;
  body: (rid: string) => string;
}

const MIB = 1024 * 1024;
const limits = DEFAULT_FHIR_INPUT_LIMITS;
// Documents as large as a maximum-entry bundle of 64 MiB allows (base64 is 4/3 of the bytes, plus metadata).
const perDocumentBytes = Math.floor(((60 * MIB) / (Math.floor((limits.maxBundleEntries - 1) / 2))) * 0.75) - 4096;

// One document whose base64 fills a 64 MiB body but for its metadata.
const BIG_DOCUMENT_BYTES = Math.floor((64 * MIB - 16 * 1024) * 0.75);
// The same wrapped in 76-character lines with CRLF (MIME style): in JSON, 76 + 4 (the escapes of CR LF) characters per 57 bytes.
const BIG_WRAPPED_DOCUMENT_BYTES = Math.floor(((64 * MIB - 16 * 1024) * 57) / 80);

/** The one-document Bundle with its Binary's base64 wrapped MIME-style (base64Binary allows whitespace). */
function wrappedDocumentBundle(rid: string): string {
  const bundle = provideBundleObject(rid, documentOf(BIG_WRAPPED_DOCUMENT_BYTES));
  const binary = (bundle.entry as Array<{ resource: { resourceType: string; data?: string } }>).find((e) => e.resource.resourceType === 'Binary')!.resource;
  binary.data = (binary.data!.match(/.{1,76}/g) ?? []).join('\r\n');
  return JSON.stringify(bundle);
}

const INPUTS: Input[] = [
  // Hostile: what issue 11 measured.
  { name: 'xml-depth-1000000', contentType: FHIR_XML, body: () => deepXmlBundle(1_000_000) },
  { name: 'xml-depth-100000', contentType: FHIR_XML, body: () => deepXmlBundle(100_000) },
  { name: 'json-depth-1000000', contentType: FHIR_JSON, body: () => deepJsonBundle(1_000_000) },
  { name: 'json-entries-300000', contentType: FHIR_JSON, body: () => manyEntriesJsonBundle(300_000) },
  // Legal worst cases: just inside each limit.
  { name: `xml-depth-${limits.maxDepth}-legal`, contentType: FHIR_XML, body: () => deepXmlBundle(limits.maxDepth - 1) },
  { name: `xml-elements-${limits.maxElements}-legal`, contentType: FHIR_XML, body: () => wideXmlBundle(limits.maxElements - 2) },
  { name: `json-entries-${limits.maxBundleEntries}-legal`, contentType: FHIR_JSON, body: (rid) => JSON.stringify(manyDocumentsBundle(rid, Math.floor((limits.maxBundleEntries - 1) / 2), 1024)) },
  { name: `json-entries-${limits.maxBundleEntries}-60MiB-legal`, contentType: FHIR_JSON, body: (rid) => JSON.stringify(manyDocumentsBundle(rid, Math.floor((limits.maxBundleEntries - 1) / 2), perDocumentBytes)) },
  { name: 'json-one-document-64MiB', contentType: FHIR_JSON, body: (rid) => JSON.stringify(provideBundleObject(rid, documentOf(BIG_DOCUMENT_BYTES))) },
  { name: 'json-one-document-64MiB-wrapped', contentType: FHIR_JSON, body: wrappedDocumentBundle },
  { name: 'xml-one-document-64MiB', contentType: FHIR_XML, body: (rid) => toXml(provideBundleObject(rid, documentOf(BIG_DOCUMENT_BYTES))) },
];

function vm(pid: number): { rssMb: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    /* the gateway died */
  }
  return { rssMb: Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024) };
}

async function measure(gw: BenchGateway, pid: number, input: Input, rid: string) {
  const body = Buffer.from(input.body(rid));
  const before = vm(pid).rssMb;
  // The capability statement is built on first use: before the window, so that is not counted.
  await fetch(`${gw.baseUrl}/fhir/metadata`).then((r) => r.arrayBuffer());
  const started = Date.now();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, vm(pid).rssMb)), 20);
  const t = performance.now();
  // A gateway that dies of the input (it did, before issue 11) is recorded, not fatal to the run.
  const stall = await measureStall(gw.baseUrl, () =>
    fetch(`${gw.baseUrl}/fhir`, { method: 'POST', headers: { 'content-type': input.contentType, accept: FHIR_JSON }, body }).then(
      async (res) => ({ status: res.status, text: await res.text() }),
      (err: unknown) => ({ status: 0, text: `request failed: ${String((err as Error).cause ?? err)}` }),
    ),
  );
  const answer = stall.result;
  const ms = Math.round(performance.now() - t);
  await new Promise((r) => setTimeout(r, 1000));
  clearInterval(sampler);
  const after = vm(pid).rssMb;
  const ended = Date.now();
  let diagnostics: string | undefined;
  try {
    diagnostics = (JSON.parse(answer.text) as { issue?: Array<{ diagnostics?: string }> }).issue?.[0]?.diagnostics?.slice(0, 160);
  } catch {
    diagnostics = answer.text.slice(0, 160);
  }
  return {
    input: input.name,
    bodyMiB: Math.round((body.length / MIB) * 10) / 10,
    status: answer.status,
    diagnostics,
    requestMs: ms,
    longestProbeMs: stall.longestProbeMs,
    failedProbes: stall.failedProbes,
    eventLoopLagMaxMs: stall.eventLoopLagMaxMs ?? null,
    rssBeforeMb: before,
    rssPeakGrowthMb: peak - before,
    rssRetainedGrowthMb: after - before,
    window: { started, ended },
  };
}

const MAIN_THREAD_CPU_PRELOAD = path.join(__dirname, 'main-thread-cpu.js');

async function main(): Promise<void> {
  const only = (process.env.BENCH_HEAVY_ONLY ?? '').split(',').filter(Boolean);
  const results = [];
  for (const input of INPUTS.filter((i) => only.length === 0 || only.includes(i.name))) {
    // One gateway per input: each one's memory figures start from the same state.
    const cpuFile = path.join(os.tmpdir(), `heavy-input-cpu-${process.pid}-${input.name}.json`);
    const gw = await startBenchGateway({ LOG_LEVEL: 'error', NODE_OPTIONS: `--require ${MAIN_THREAD_CPU_PRELOAD}`, BENCH_MAIN_THREAD_CPU_FILE: cpuFile });
    let measured;
    try {
      const [rid] = ridPatients(1);
      await feedPatients(gw.baseUrl, [rid!]);
      measured = await measure(gw, gw.pid, input, rid!);
    } finally {
      await gw.stop();
    }
    // Written when the gateway exits: the stretches of the request and the second after it.
    const { window, ...rest } = measured;
    const result = { ...rest, mainThreadLongestCpuMs: longestCpuStretchMs(cpuFile, window.started, window.ended) ?? null };
    rmSync(cpuFile, { force: true });
    console.log(JSON.stringify(result));
    results.push(result);
  }
  await report(`heavy-input-${benchStore()}`, { scenario: 'heavy-input', store: benchStore(), limits, inputs: results, target: 'every input: probe wait and event-loop delay <= ~100 ms (mainThreadLongestCpuMs: the same without the machine\'s other load), bounded memory growth' });
}

runBench(main);
