// Shared bench plumbing: a fresh store of the requested kind, latency statistics, JSON results.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPgSchema } from '../test/support/pg-schema';
import type { Database } from '../src/store/sql/database';
import { migrate } from '../src/store/sql/migrate';
import { PgliteDatabase } from '../src/store/sql/pglite';
import { PostgresDatabase } from '../src/store/sql/postgres';
import { baseline, ratio } from './baseline';
import { cpuPerRequest, meterLoad, takeMeteredLoad, watchPostgresServer } from './load-meter';

/**
 * `postgres`: the machine's PostgreSQL server (DATABASE_URL or 127.0.0.1:5432/test), a schema
 * per run; `embedded`: the gateway's default, its own PostgreSQL server under DATA_DIR;
 * `pglite`: EMBEDDED_STORE=pglite.
 */
export type BenchStore = 'postgres' | 'pglite' | 'embedded';

export function benchStore(): BenchStore {
  const store = process.env.BENCH_STORE ?? 'postgres';
  if (store !== 'postgres' && store !== 'pglite' && store !== 'embedded') throw new Error(`BENCH_STORE must be postgres, embedded or pglite (got ${store})`);
  return store;
}

/** A migrated database in its own schema (PostgreSQL) or in memory (PGlite); drop() removes it. */
export async function openBenchDatabase(kind: BenchStore, maxConnections = 20): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await PgliteDatabase.open();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  await watchPostgresServer(server);
  const own = await createPgSchema(server, 'bench');
  const db = new PostgresDatabase({ connectionString: own.url, maxConnections });
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await own.drop();
    },
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}

export function latencySummary(samplesMs: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { count: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? 0) };
}

/** Runs `task` from `concurrency` callers until `durationMs` has passed; returns per-call latencies. */
export async function runClosedLoop(concurrency: number, durationMs: number, task: (worker: number, i: number) => Promise<void>): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  await meterLoad(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let i = 0; performance.now() < end; i++) {
          const t = performance.now();
          await task(worker, i);
          latenciesMs.push(performance.now() - t);
        }
      }),
    );
    return { requests: latenciesMs.length, seconds: (performance.now() - start) / 1000 };
  });
  return { latenciesMs, elapsedMs: performance.now() - start };
}

export async function writeResult(name: string, result: unknown): Promise<string> {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/**
 * The result beside this machine's baselines (baseline.ts): its rate (the result's `perSecond`,
 * else that of the loads it ran) as a multiple of a bare Node HTTP server's and of pgbench's
 * transactions, and the CPU milliseconds per request of the gateway and PostgreSQL.
 */
async function withBaselines(result: object): Promise<object> {
  const load = takeMeteredLoad();
  const own = (result as { perSecond?: unknown }).perSecond;
  const perSecond = typeof own === 'number' ? own : load.seconds > 0 ? Math.round(load.requests / load.seconds) : undefined;
  const machine = await baseline();
  const cpu = cpuPerRequest(load);
  return {
    ...result,
    baseline: machine,
    relative: {
      ...(perSecond !== undefined ? { perSecond } : {}),
      toBareHttp: ratio(perSecond, machine.http.perSecond),
      toPgbenchTps: ratio(perSecond, machine.pgbench.tps),
    },
    ...(cpu ? { cpuMsPerRequest: { ...cpu, requests: load.requests } } : {}),
  };
}

/** Prints a benchmark's result with the machine's baselines, writes it as bench/results/<name>.json. */
export async function report(name: string, result: object): Promise<void> {
  // A run with several gateway processes says so, and is kept apart from the default's figures.
  const workers = Number(process.env.BENCH_WORKERS ?? 1);
  const measured = await withBaselines(result);
  const recorded = workers > 1 ? { ...measured, gatewayWorkers: workers } : measured;
  console.log(JSON.stringify(recorded, null, 2));
  console.log('written to', await writeResult(workers > 1 ? `${name}-workers${workers}` : name, recorded));
}

/** Runs a benchmark's main function; a failure prints and exits non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
