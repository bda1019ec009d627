// A write load from wrk (C, with a LuaJIT hook per request) instead of autocannon. On this
// 2-core machine the load generator shares the CPU with the gateway and PostgreSQL, and
// autocannon building every 14 KB ITI-65 body in JavaScript took about a quarter of a core,
// CPU the gateway then did not have. wrk, the other generator the issues name, comes from
// Debian (`apt-get install wrk`); without it the benchmarks fall back to autocannon and say so.
//
// wrk sends one body template: these placeholders are replaced afresh in every request, so
// every submission carries new ids (a repeated body would be an identical retry, which the
// registry answers without storing anything):
//   @@U@@  12 hex digits (the tail of a urn:uuid), @@O@@  12 decimal digits (the tail of an
//   OID), @@P@@  the next of `patients` (a patient id, or any markup that varies by request).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './http-support';
import { meterLoad } from './load-meter';

export interface TemplateLoad {
  url: string;
  headers: Record<string, string>;
  template: string | Buffer;
  patients: readonly string[];
  /** Text every successful response body contains (a SOAP RegistryResponse answers 200 also on Failure). */
  successMarker?: string;
  /** Text whose occurrences in the response bodies are counted (returned objects). */
  countMarker?: string;
  seconds?: number;
  connections?: number;
}

export type LoadGenerator = 'wrk' | 'autocannon';

/** BENCH_LOADGEN, else wrk when installed. */
export function loadGenerator(): LoadGenerator {
  const asked = process.env.BENCH_LOADGEN;
  if (asked === 'wrk' || asked === 'autocannon') return asked;
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

const lua = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for these (ASCII) values

function script(load: TemplateLoad, templateFile: string, patientsFile: string, base: number): string {
  const url = new URL(load.url);
  const headerLines = Object.entries({ Host: url.host, ...load.headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const { successMarker, countMarker } = load;
  return `
local f = assert(io.open(${lua(templateFile)}, "rb"))
local template = f:read("*a")
f:close()
-- Only the part up to the last placeholder is rewritten: a 1 MB attachment after it is appended as is.
local cut = 0
local from = 1
while true do
  local s, e = string.find(template, "@@[UOP]@@", from)
  if not s then break end
  cut = e
  from = e + 1
end
local head = string.sub(template, 1, cut)
local tail = string.sub(template, cut + 1)
local patients = {}
for line in io.lines(${lua(patientsFile)}) do table.insert(patients, line) end
-- The request line and headers are written here rather than by wrk.format, so a large body
-- is copied once per request (one concatenation), not twice.
local start = ${lua(`POST ${url.pathname}${url.search} HTTP/1.1\r\n${headerLines}`)}
local n = ${base}
failures = 0
counted = 0

request = function()
  n = n + 1
  local body = head:gsub("@@U@@", string.format("%012x", n)):gsub("@@O@@", string.format("%012d", n)):gsub("@@P@@", patients[n % #patients + 1])
  return start .. "Content-Length: " .. (#body + #tail) .. "\\r\\n\\r\\n" .. body .. tail
end
${successMarker === undefined && countMarker === undefined ? '' : `
response = function(status, hdrs, body)
  ${successMarker === undefined ? '' : `if status < 300 and not string.find(body, ${lua(successMarker)}, 1, true) then failures = failures + 1 end`}
  ${countMarker === undefined ? '' : `
  local from = 1
  while true do
    local s, e = string.find(body, ${lua(countMarker)}, from, true)
    if not s then break end
    counted = counted + 1
    from = e + 1
  end`}
end`}

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local failed = 0
  local found = 0
  for _, t in ipairs(threads) do
    failed = failed + (t:get("failures") or 0)
    found = found + (t:get("counted") or 0)
  end
  local e = summary.errors
  io.write(string.format('\\n{"wrk":true,"requests":%d,"durationUs":%d,"bytes":%d,"status":%d,"socket":%d,"failed":%d,"counted":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect + e.read + e.write + e.timeout, failed, found,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
`;
}

const ms = (us: number) => Math.round(us / 10) / 100;

/** One wrk thread (it needs far less than a core at these rates), `connections` keep-alive connections. */
export function runWrk(load: TemplateLoad): Promise<LoadResult & { counted: number }> {
  return meterLoad(() => wrkLoad(load));
}

/** runWrk without counting into the CPU per request (the baselines' own load). */
export async function wrkLoad(load: TemplateLoad): Promise<LoadResult & { counted: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-wrk-'));
  try {
    const templateFile = path.join(dir, 'body');
    await writeFile(templateFile, load.template);
    const base = (Math.floor(Date.now() / 1000) % 1_000_000) * 1_000_000;
    const patientsFile = path.join(dir, 'patients');
    if (load.patients.some((p) => p.includes('\n'))) throw new Error('a @@P@@ value must be one line');
    await writeFile(patientsFile, `${load.patients.join('\n')}\n`);
    await writeFile(path.join(dir, 'load.lua'), script(load, templateFile, patientsFile, base));
    const seconds = load.seconds ?? Number(process.env.BENCH_SECONDS ?? 15);
    const args = ['-t1', `-c${load.connections ?? 16}`, `-d${seconds}s`, '--timeout', '10s', '-s', path.join(dir, 'load.lua'), load.url];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`))));
    });
    const line = out.split('\n').find((l) => l.startsWith('{"wrk":true'));
    if (!line) throw new Error(`no summary from wrk: ${out}`);
    const r = JSON.parse(line) as { requests: number; durationUs: number; bytes: number; status: number; socket: number; failed: number; counted: number; p50: number; p95: number; p99: number; max: number };
    const elapsed = r.durationUs / 1e6;
    return {
      requests: r.requests,
      seconds: Math.round(elapsed * 100) / 100,
      perSecond: Math.round(r.requests / elapsed),
      non2xx: r.status + r.failed,
      errors: r.socket,
      latencyMs: { count: r.requests, p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99), max: ms(r.max) },
      throughputMBps: Math.round((r.bytes / elapsed / 1e6) * 10) / 10,
      counted: r.counted,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
