// Shared plumbing of the HTTP benchmarks: a real gateway process on loopback (PostgreSQL in a
// fresh schema, or PGlite under a temp DATA_DIR), a load run with autocannon whose per-response
// latencies are kept (autocannon reports no p95 itself), and the result summary.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import { startGateway } from '../test/support/gateway-process';
import { meterLoad, watchPostgresServer, watchProcessTree } from './load-meter';
import { treeMemoryKb } from './process-memory';
import { benchStore, latencySummary, type BenchStore } from './support';

export interface BenchGateway {
  store: BenchStore;
  baseUrl: string;
  /** Connection string of the gateway's own schema (PostgreSQL), for bulk loading. */
  databaseUrl?: string;
  /** The gateway process (the supervisor when WORKERS > 1). */
  pid: number;
  stop(): Promise<void>;
  peakRssMb(): number;
  /** Peak proportional set size of the process tree (shared pages divided among their users). */
  peakPssMb(): number;
}

/**
 * Starts the gateway process (test/support/gateway-process.ts) on a free port; PostgreSQL
 * gets a schema of its own, dropped on stop. `beforeStart` may fill the store first (bulk loads): it gets the schema's URL (PostgreSQL) or the DATA_DIR (PGlite).
 */
export async function startBenchGateway(env: Record<string, string> = {}, beforeStart?: (where: { databaseUrl?: string; dataDir: string }) => Promise<void>, main?: string): Promise<BenchGateway> {
  const store = benchStore();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-gw-'));
  let databaseUrl: string | undefined;
  let dropSchema = async () => {};
  if (store === 'postgres') {
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    await watchPostgresServer(base);
    const schema = process.env.BENCH_SCHEMA ?? `bench_http_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.end();
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
    if (!process.env.BENCH_SCHEMA) {
      dropSchema = async () => {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      };
    }
  }
  await beforeStart?.({ ...(databaseUrl ? { databaseUrl } : {}), dataDir });
  // One load generator is one client: the per-client rate limit would measure itself.
  // BENCH_WORKERS: gateway processes (WORKERS) for the PostgreSQL runs.
  const workers: Record<string, string> = process.env.BENCH_WORKERS && store !== 'pglite' ? { WORKERS: process.env.BENCH_WORKERS } : {};
  const storeEnv: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : store === 'pglite' ? { EMBEDDED_STORE: 'pglite' } : {};
  // BENCH_GATEWAY_MAIN: another build's dist/src/main.js, for A/B runs under the same harness.
  const gateway = await startGateway({ LOG_LEVEL: 'warn', RATE_LIMIT: 'off', ...workers, DATA_DIR: dataDir, ...storeEnv, ...env }, undefined, main ?? process.env.BENCH_GATEWAY_MAIN);
  const { child, baseUrl } = gateway;
  const unwatch = watchProcessTree(child.pid!, 'gateway');
  // The gateway's resident memory, sampled from /proc while the bench runs: its process tree
  // (with the embedded default, the PostgreSQL server's processes too), as resident pages
  // and as proportional set size, which counts shared buffers once rather than per backend.
  let peak = 0;
  let peakPss = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeMemoryKb(child.pid!, 'VmRSS') / 1024);
    peakPss = Math.max(peakPss, treeMemoryKb(child.pid!, 'Pss') / 1024);
  }, 200);
  return {
    store,
    baseUrl,
    pid: child.pid!,
    ...(databaseUrl ? { databaseUrl } : {}),
    peakRssMb: () => Math.round(peak),
    peakPssMb: () => Math.round(peakPss),
    async stop() {
      clearInterval(sampler);
      unwatch();
      await gateway.stop();
      await dropSchema();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  latencyMs: ReturnType<typeof latencySummary>;
  throughputMBps: number;
}

/** Runs autocannon against the gateway and summarises it with our own percentiles. */
export function runLoad(opts: autocannon.Options): Promise<LoadResult> {
  return meterLoad(() => autocannonLoad(opts));
}

async function autocannonLoad(opts: autocannon.Options): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: 16, duration: Number(process.env.BENCH_SECONDS ?? 15), ...opts }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const seconds = result.duration;
  return {
    requests: result.requests.total,
    seconds,
    perSecond: Math.round(result.requests.total / seconds),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencyMs: latencySummary(latencies),
    throughputMBps: Math.round((result.throughput.total / seconds / 1e6) * 10) / 10,
  };
}

/**
 * A closed loop of plain node:http GETs on keep-alive sockets. autocannon parses every body
 * in JavaScript and tops out near 70 MB/s here, so large downloads are measured with this.
 */
export function runDownloadLoad(url: string, connections = 16, seconds = Number(process.env.BENCH_SECONDS ?? 15)): Promise<LoadResult> {
  return meterLoad(() => downloadLoad(url, connections, seconds));
}

async function downloadLoad(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let bytes = 0;
  let non2xx = 0;
  let errors = 0;
  const get = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      http
        .get({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent }, (res) => {
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          res.on('data', (d: Buffer) => (bytes += d.length));
          res.on('end', () => {
            latencies.push(performance.now() - started);
            resolve();
          });
        })
        .on('error', () => {
          errors++;
          resolve();
        });
    });
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await get();
  }));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    seconds: elapsed,
    perSecond: Math.round(latencies.length / elapsed),
    non2xx,
    errors,
    latencyMs: latencySummary(latencies),
    throughputMBps: Math.round((bytes / elapsed / 1e6) * 10) / 10,
  };
}
