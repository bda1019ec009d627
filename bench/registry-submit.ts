// Registry submit throughput: one-document submission sets (1 KB document, bytes included:
// stored, hashed, encrypted, fsynced, then registered in one transaction), 16 concurrent callers.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/config';
import { SYSTEM_PRINCIPAL } from '../src/domain/principal';
import { Registry } from '../src/registry/registry';
import { SqlRegistryStore } from '../src/store/sql/registry/sql-registry-store';
import { DocumentRepository } from '../src/repository/document-repository';
import { provideAndRegister } from '../src/repository/provide-and-register';
import { RepositoryService } from '../src/repository/repository-service';
import { FsBlobStore } from '../src/store/blobs';
import { documentEntry, patientCx, submission } from '../test/support/metadata-builders';
import { benchStore, latencySummary, openBenchDatabase, report, runBench, runClosedLoop } from './support';

async function main(): Promise<void> {
  const store = benchStore();
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const { db, drop } = await openBenchDatabase(store, concurrency + 2);
  const blobDir = await mkdtemp(path.join(os.tmpdir(), 'bench-blobs-'));
  try {
    const config = loadConfig({ AUTH: 'off' });
    const registry = Registry.fromConfig(new SqlRegistryStore(db), config);
    const blobs = await FsBlobStore.open(blobDir, { keys: new Map([['bench', randomBytes(32)]]), activeKeyId: 'bench' });
    const repository = new RepositoryService(db, new DocumentRepository(blobs, { inlineUpTo: config.documentInlineMaxBytes }), config.repositoryUniqueId);
    const patients = Array.from({ length: 1000 }, () => patientCx());
    for (const p of patients) await registry.registerPatient(p);
    const body = randomBytes(1024);

    let failures = 0;
    const submitOne = async (worker: number, i: number) => {
      const p = patients[(worker * 7919 + i) % patients.length]!;
      const d = documentEntry(p);
      delete (d as { hash?: string }).hash;
      delete (d as { size?: number }).size;
      const r = await provideAndRegister({ registry, repository }, submission(p, { documents: [d] }), [{ entryUuid: d.entryUuid, source: Readable.from([body]) }], SYSTEM_PRINCIPAL);
      if (r.status !== 'Success') failures++;
    };
    await runClosedLoop(concurrency, 2000, submitOne); // warm-up
    const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, submitOne);
    const result = {
      scenario: 'registry-submit',
      store,
      concurrency,
      documentBytes: body.length,
      seconds: Math.round(elapsedMs) / 1000,
      submissions: latenciesMs.length,
      failures,
      perSecond: Math.round((latenciesMs.length / elapsedMs) * 1000),
      latencyMs: latencySummary(latenciesMs),
      target: store === 'postgres' ? '>= 1000 per second' : 'report',
    };
    await report(`registry-submit-${store}`, result);
  } finally {
    await drop();
    await rm(blobDir, { recursive: true, force: true });
  }
}

runBench(main);
