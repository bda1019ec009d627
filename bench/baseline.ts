// What this machine can do, measured in the same run as a benchmark, so a figure taken on
// another (or a busier) machine can be compared as a ratio: a bare Node HTTP server's requests
// per second under the benchmarks' load generator, PostgreSQL's rate of small synced
// transactions (pgbench), and the CPU model, core count and Node version. Measured once per
// benchmark process (cached) and recorded by report() beside every result.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadGenerator, wrkLoad, type LoadGenerator } from './wrk-load';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
}

export interface Baseline {
  machine: MachineInfo;
  /** A bare node:http server answering a small body, loaded like the gateway (16 connections). */
  http: { loadGenerator: LoadGenerator; perSecond: number; seconds: number };
  /** pgbench: transactions per second, each inserting three rows and committing synchronously; null without pgbench. */
  pgbench: { tps: number; clients: number; seconds: number } | { tps: null; reason: string };
}

export function machineInfo(cpuinfo = readCpuinfo()): MachineInfo {
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return { cpuModel: model, cores: os.availableParallelism(), node: process.version };
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

/** The tps pgbench prints ("tps = 1096.945542 (without initial connection time)"). */
export function parsePgbenchTps(output: string): number | undefined {
  const m = /^tps = ([\d.]+)/m.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** A result's rate as a multiple of a baseline's, to three significant digits; undefined without both. */
export function ratio(perSecond: number | undefined, baseline: number | null | undefined): number | undefined {
  if (perSecond === undefined || !baseline) return undefined;
  return Number((perSecond / baseline).toPrecision(3));
}

const CONNECTIONS = 16;
const baselineSeconds = () => Number(process.env.BENCH_BASELINE_SECONDS ?? 5);

// The echo server runs in a process of its own, like the gateway: the load generator (autocannon
// is JavaScript) must not share its event loop.
const ECHO_SERVER = `
const body = Buffer.from('{"ok":true}');
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function httpBaseline(): Promise<Baseline['http']> {
  const child = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', (code) => reject(new Error(`the echo server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}/`;
    const seconds = baselineSeconds();
    const generator = loadGenerator();
    if (generator === 'wrk') {
      const r = await wrkLoad({ url, headers: {}, template: 'ping', patients: ['-'], seconds, connections: CONNECTIONS });
      return { loadGenerator: generator, perSecond: r.perSecond, seconds: r.seconds };
    }
    const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
    return { loadGenerator: generator, perSecond: Math.round(r.requests.total / r.duration), seconds: r.duration };
  } finally {
    child.kill();
  }
}

/** pgbench against the machine's server, in a scratch schema dropped afterwards. */
async function pgbenchBaseline(): Promise<Baseline['pgbench']> {
  if (spawnSync('pgbench', ['--version']).error) return { tps: null, reason: 'pgbench is not installed (Debian: postgresql-<version>, or postgresql-client-<version>)' };
  const url = process.env.BENCH_PGBENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pgbench-'));
  try {
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.rows (id bigserial PRIMARY KEY, v integer NOT NULL, note text NOT NULL)`);
    const insert = (v: number) => `INSERT INTO ${schema}.rows (v, note) VALUES (${v}, 'baseline row');`;
    const script = path.join(dir, 'three-rows.sql');
    await writeFile(script, ['BEGIN;', insert(1), insert(2), insert(3), 'COMMIT;', ''].join('\n'));
    const seconds = baselineSeconds();
    const output = await new Promise<string>((resolve, reject) => {
      // synchronous_commit=on: every transaction waits for its WAL flush, as the gateway's commits do.
      const child = spawn('pgbench', ['-n', '-f', script, '-T', String(seconds), '-c', String(CONNECTIONS), '-j', '1', url], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PGOPTIONS: '-c synchronous_commit=on' },
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited with ${code}: ${text}`))));
    });
    const tps = parsePgbenchTps(output);
    if (tps === undefined) throw new Error(`no tps in pgbench's output: ${output}`);
    return { tps: Math.round(tps), clients: CONNECTIONS, seconds };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

let measured: Promise<Baseline> | undefined;

/** The machine's baselines, measured on first use (one after the other, so they do not compete). */
export function baseline(): Promise<Baseline> {
  measured ??= (async () => {
    const http = await httpBaseline();
    const pgbench = await pgbenchBaseline();
    return { machine: machineInfo(), http, pgbench };
  })();
  return measured;
}
