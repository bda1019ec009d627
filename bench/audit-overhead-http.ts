// What auditing costs the ITI-65 and ITI-41 benchmarks (the budget: at most 10% of
// their throughput): the same loads against the real gateway and against a variant whose
// audit trail stores nothing (unaudited-gateway.ts), in alternating rounds so drift hits
// both alike. Both gateways run on PostgreSQL, each in a schema of its own.
// Env: BENCH_SECONDS per round (default 8), BENCH_ROUNDS (default 3), BENCH_CONCURRENCY (16).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startBenchGateway, type BenchGateway } from './http-support';
import { ITI41_GATEWAY_ENV, iti41Load } from './iti41-load';
import { iti65Load } from './iti65-load';
import { loadGenerator } from './wrk-load';
import { report, runBench } from './support';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const UNAUDITED = path.join(__dirname, 'unaudited-gateway.js');

type Mode = 'audited' | 'unaudited';
/** One round of a load on one gateway: how many requests succeeded in how many ms. */
type Round = (gw: BenchGateway) => Promise<{ ok: number; failed: number; ms: number }>;

async function compare(name: string, setup: (gw: BenchGateway) => Promise<Round>): Promise<object> {
  const gateways: Record<Mode, BenchGateway> = {
    audited: await startBenchGateway(ITI41_GATEWAY_ENV),
    unaudited: await startBenchGateway(ITI41_GATEWAY_ENV, undefined, UNAUDITED),
  };
  try {
    const runs = { audited: await setup(gateways.audited), unaudited: await setup(gateways.unaudited) };
    const totals = { audited: { ok: 0, failed: 0, ms: 0 }, unaudited: { ok: 0, failed: 0, ms: 0 } };
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['unaudited', 'audited'] as const) {
        const r = await runs[mode](gateways[mode]);
        totals[mode].ok += r.ok;
        totals[mode].failed += r.failed;
        totals[mode].ms += r.ms;
      }
    }
    const rate = (m: Mode) => Math.round((totals[m].ok / totals[m].ms) * 1000);
    const failed = totals.audited.failed + totals.unaudited.failed;
    if (failed > 0) throw new Error(`${name}: ${failed} requests failed`);
    const overhead = Math.round(((rate('unaudited') - rate('audited')) / rate('unaudited')) * 1000) / 10;
    return { scenario: name, unauditedPerSecond: rate('unaudited'), auditedPerSecond: rate('audited'), overheadPercent: overhead };
  } finally {
    await gateways.audited.stop();
    await gateways.unaudited.stop();
  }
}

async function main(): Promise<void> {
  const iti65 = await compare('ITI-65, one 10 KB document', async (gw) => {
    const load = await iti65Load(gw);
    await load(2); // warm-up
    return async () => {
      const r = await load(seconds);
      return { ok: r.requests - r.non2xx, failed: r.non2xx + r.errors, ms: r.seconds * 1000 };
    };
  });
  const content = randomBytes(1024);
  const iti41 = await compare('ITI-41, one 1 KB document, MTOM', async (gw) => async () => {
    const r = await iti41Load(gw, content, concurrency, seconds); // each with its own warm-up
    return { ok: r.requests - r.failures, failed: r.failures + r.errors, ms: r.seconds * 1000 };
  });
  await report('audit-overhead-http-postgres', {
    bench: 'audit-overhead-http',
    store: 'postgres',
    concurrency,
    secondsPerRound: seconds,
    rounds,
    what: 'the same load against the gateway and against one whose audit trail stores nothing',
    generator: loadGenerator(),
    scenarios: [iti65, iti41],
    target: '<= 10% of throughput',
  });
}

runBench(main);
