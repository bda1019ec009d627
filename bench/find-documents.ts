/**
 * FindDocuments latency at registry scale: loads N DocumentEntries over P patients into a
 * fresh schema, then runs FindDocuments (random patient + Approved + classCode) through
 * runStoredQuery with C concurrent callers for a fixed time and reports end-to-end and
 * database-only latency percentiles and throughput.
 *
 *   node dist/bench/find-documents.js                              # PostgreSQL, 1,000,000 docs / 100,000 patients
 *   BENCH_STORE=pglite node dist/bench/find-documents.js           # embedded PGlite (in memory), same N; loads in ~2 min
 *   BENCH_DOCS=200000 BENCH_PATIENTS=20000 BENCH_SECONDS=5 BENCH_CONCURRENCY=16 BENCH_POOL=8 DATABASE_URL=postgres://... node dist/bench/find-documents.js
 *
 * Rows are generated in SQL (INSERT ... SELECT FROM generate_series, jsonb_build_object) in
 * batches, so loading costs no client round trips per row. Patient of document g is g mod P,
 * so a patient's documents are spread over the whole table as interleaved registrations
 * would leave them; each patient has ~N/P documents cycling through 5 class codes, 10 %
 * deprecated. Results: bench/results/find-documents-<store>.json. BENCH_KEEP=1 keeps the
 * PostgreSQL schema (its name is printed); BENCH_SCHEMA=<name> loads into, or reuses, that schema.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AvailabilityStatus } from '../src/domain/metadata';
import { StoredQueryId, type StoredQuery } from '../src/domain/stored-queries';
import { runStoredQuery } from '../src/registry/stored-query-executor';
import { registrySessionOn } from '../src/store/sql/registry/sql-registry-store';
import type { Database, SqlExecutor } from '../src/store/sql/database';
import { migrate } from '../src/store/sql/migrate';
import { PgliteDatabase } from '../src/store/sql/pglite';
import { PostgresDatabase } from '../src/store/sql/postgres';
import { validateStoredQuery } from '../src/xds/stored-query-request';
import { benchPatientCx, CLASS_SCHEME, CLASSES, loadDocuments } from './document-loader';

const store = process.env.BENCH_STORE === 'pglite' ? 'pglite' : 'postgres';
const docs = Number(process.env.BENCH_DOCS ?? 1_000_000);
const patients = Number(process.env.BENCH_PATIENTS ?? Math.max(1, Math.round(docs / 10)));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
/**
 * PostgreSQL connections. More backends than cores only adds context switches: on a
 * 2-core host 16 busy backends serve fewer queries per second than 4, so callers beyond
 * the pool wait in the client queue instead (the usual ~2 x cores pool sizing).
 */
const poolSize = Number(process.env.BENCH_POOL ?? Math.max(4, 2 * os.cpus().length));
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const AUTHORITY = '1.2.203.999.1.1';
const patientId = (p: number) => benchPatientCx(p, AUTHORITY);
async function openStore(): Promise<{ db: Database; where: string; drop: () => Promise<void> }> {
  if (store === 'pglite') {
    const db = await PgliteDatabase.open();
    return { db, where: 'PGlite (in-memory)', drop: () => db.close() };
  }
  const reuse = process.env.BENCH_SCHEMA;
  if (reuse !== undefined && !/^[a-z_][a-z0-9_]*$/.test(reuse)) throw new Error(`BENCH_SCHEMA must be a plain schema name: ${reuse}`);
  const schema = reuse ?? `bench_find_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = new PostgresDatabase({ connectionString: url.toString(), maxConnections: poolSize });
  return {
    db,
    where: `PostgreSQL ${url.host}${url.pathname}, schema ${schema}`,
    drop: async () => {
      await db.close();
      if (process.env.BENCH_KEEP === '1' || reuse) return;
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Wraps the executor to add up the time spent inside the database calls of one query. */
function timed(db: SqlExecutor): { db: SqlExecutor; take: () => number } {
  let spent = 0;
  return {
    db: {
      async query(text, params) {
        const t = performance.now();
        try {
          return await db.query(text, params);
        } finally {
          spent += performance.now() - t;
        }
      },
      exec: (script) => db.exec(script),
    },
    take: () => {
      const s = spent;
      spent = 0;
      return s;
    },
  };
}

/** The FindDocuments an ITI-18 consumer sends, as the XDS front end reads it. */
function findDocuments(p: number, cls: string): StoredQuery {
  return validateStoredQuery({
    queryId: StoredQueryId.FindDocuments,
    returnType: 'LeafClass',
    params: {
      $XDSDocumentEntryPatientId: [[patientId(p)]],
      $XDSDocumentEntryStatus: [[AvailabilityStatus.Approved]],
      $XDSDocumentEntryClassCode: [[`${cls}^^^${CLASS_SCHEME}`]],
    },
  });
}

const randomQuery = () => findDocuments(Math.floor(Math.random() * patients), CLASSES[Math.floor(Math.random() * CLASSES.length)]!);

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    p50: round(percentile(s, 0.5)),
    p95: round(percentile(s, 0.95)),
    p99: round(percentile(s, 0.99)),
    max: round(s[s.length - 1] ?? NaN),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
  };
}

/** `callers` concurrent callers, each with its own timing wrapper, until the deadline. */
async function run(db: Database, durationS: number, record: boolean, callers = concurrency) {
  const endToEnd: number[] = [];
  const database: number[] = [];
  let results = 0;
  const deadline = performance.now() + durationS * 1000;
  const caller = async () => {
    const t = timed(db);
    while (performance.now() < deadline) {
      const start = performance.now();
      const res = await runStoredQuery(registrySessionOn(t.db), randomQuery(), { maxResults: 1000 });
      const elapsed = performance.now() - start;
      const inDb = t.take();
      if (record) {
        endToEnd.push(elapsed);
        database.push(inDb);
        results += res.objects.length;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  return { endToEnd, database, results, elapsedS: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const { db, where, drop } = await openStore();
  try {
    console.log(`find-documents: ${docs} DocumentEntries over ${patients} patients on ${where}`);
    await migrate(db);
    const loadSeconds = await loadDocuments(db, { docs, patients, authority: AUTHORITY });
    console.log(loadSeconds === undefined ? '  load: reused the documents already in the schema' : `  load: ${loadSeconds.toFixed(1)} s (${Math.round(docs / loadSeconds)} rows/s)`);

    // The statement FindDocuments compiles to, and how the planner runs it.
    let sqlText = '';
    let sqlParams: readonly unknown[] = [];
    await runStoredQuery(
      registrySessionOn({
        query: async (text, params) => {
          sqlText = text;
          sqlParams = params ?? [];
          return db.query(text, params);
        },
        exec: (s) => db.exec(s),
      }),
      findDocuments(1, CLASSES[0]!),
      { maxResults: 1000 },
    );
    const explained = await db.query<Record<string, string>>(`EXPLAIN ${sqlText}`, sqlParams);
    const plan = explained.rows.map((r) => Object.values(r)[0]!);
    console.log(`  SQL: ${sqlText}\n  plan:\n    ${plan.join('\n    ')}`);

    await run(db, Math.min(2, seconds / 5), false); // warm-up: connections, caches, JIT
    // One caller: the cost of a query without queueing behind others.
    const alone = await run(db, Math.min(3, seconds / 3), true, 1);
    const aloneE2e = summary(alone.endToEnd);
    const aloneDb = summary(alone.database);
    console.log(`  1 caller     ms: end-to-end p50 ${aloneE2e.p50} p95 ${aloneE2e.p95}; database p50 ${aloneDb.p50} p95 ${aloneDb.p95}`);
    const measured = await run(db, seconds, true);
    const e2e = summary(measured.endToEnd);
    const inDb = summary(measured.database);
    const throughput = Math.round(measured.endToEnd.length / measured.elapsedS);
    console.log(`  ${measured.endToEnd.length} queries in ${measured.elapsedS.toFixed(1)} s with ${concurrency} callers: ${throughput} queries/s`);
    console.log(`  ${concurrency} callers: end-to-end ms: p50 ${e2e.p50}  p95 ${e2e.p95}  p99 ${e2e.p99}  max ${e2e.max}`);
    console.log(`  ${concurrency} callers: in db.query (incl. pool wait) ms: p50 ${inDb.p50}  p95 ${inDb.p95}  p99 ${inDb.p99}  max ${inDb.max}`);
    console.log(`  mean documents per result: ${(measured.results / measured.endToEnd.length).toFixed(2)}`);

    const result = {
      bench: 'find-documents',
      date: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.cpus().length,
      store,
      documents: docs,
      patients,
      loadSeconds: loadSeconds === undefined ? null : Math.round(loadSeconds * 10) / 10,
      query: 'FindDocuments: $XDSDocumentEntryPatientId (random) + $XDSDocumentEntryStatus Approved + $XDSDocumentEntryClassCode (random of 5), LeafClass',
      sql: sqlText,
      plan,
      concurrency,
      connections: store === 'postgres' ? poolSize : 1,
      seconds: Math.round(measured.elapsedS * 10) / 10,
      queries: measured.endToEnd.length,
      queriesPerSecond: throughput,
      meanDocumentsPerResult: Math.round((measured.results / measured.endToEnd.length) * 100) / 100,
      endToEndMs: e2e,
      // Time inside db.query: the statement's round trip plus, under load, the wait for a pooled connection.
      dbCallMs: inDb,
      singleCaller: { queries: alone.endToEnd.length, endToEndMs: aloneE2e, dbCallMs: aloneDb },
      target: { p95EndToEndMs: 5, met: e2e.p95 <= 5 },
    };
    const out = path.join(__dirname, '..', '..', 'bench', 'results', `find-documents-${store}.json`);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`  written: ${path.relative(process.cwd(), out)}`);
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
