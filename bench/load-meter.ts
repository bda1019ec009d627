// CPU per request of the loads a benchmark runs: the shared load runners (runLoad,
// runDownloadLoad, runWrk, runClosedLoop) run their load through meterLoad(), which samples the
// CPU of the watched process trees before and after; report() takes what accumulated.
// Watched: the gateway process tree (startBenchGateway; with the embedded default its
// PostgreSQL server is a child) and the machine's PostgreSQL server when the store is there.
// With no gateway process, the benchmark's own process is the gateway (in-process benches).
import pg from 'pg';
import { parentOf, ticksToMs, treeTicks } from './cpu-usage';

type Group = 'gateway' | 'postgres';
const watched = new Map<number, Group>();

export function watchProcessTree(pid: number, group: Group): () => void {
  watched.set(pid, group);
  return () => watched.delete(pid);
}

/** The postmaster of the server `url` reaches: the parent of this connection's backend. */
export async function postgresServerPid(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return parentOf(r.rows[0]!.pid);
  } finally {
    await client.end();
  }
}

/** Watches the machine's PostgreSQL server (once per process; a second call is a no-op). */
export async function watchPostgresServer(url: string): Promise<void> {
  if ([...watched.values()].includes('postgres')) return;
  // Another user's server (or one in a container) may not be visible in /proc: then it is not counted.
  const pid = await postgresServerPid(url).catch(() => undefined);
  if (pid !== undefined && pid > 1) watchProcessTree(pid, 'postgres');
}

function sample(): Map<Group, number> {
  const ticks = new Map<Group, number>([['gateway', 0], ['postgres', 0]]);
  const trees = [...watched].some(([, g]) => g === 'gateway') ? [...watched] : [...watched, [process.pid, 'gateway'] as const];
  for (const [pid, group] of trees) ticks.set(group, ticks.get(group)! + treeTicks(pid));
  return ticks;
}

export interface MeteredLoad {
  requests: number;
  seconds: number;
  gatewayCpuMs: number;
  postgresCpuMs: number;
}

let metered: MeteredLoad = { requests: 0, seconds: 0, gatewayCpuMs: 0, postgresCpuMs: 0 };

/** Runs a load, adding its requests, duration and the watched trees' CPU to what report() takes. */
export async function meterLoad<T extends { requests: number; seconds: number }>(load: () => Promise<T>): Promise<T> {
  const before = sample();
  const result = await load();
  const after = sample();
  metered.requests += result.requests;
  metered.seconds += result.seconds;
  metered.gatewayCpuMs += ticksToMs(before.get('gateway')!, after.get('gateway')!);
  metered.postgresCpuMs += ticksToMs(before.get('postgres')!, after.get('postgres')!);
  return result;
}

/** What the loads since the last call accumulated (and starts afresh). */
export function takeMeteredLoad(): MeteredLoad {
  const taken = metered;
  metered = { requests: 0, seconds: 0, gatewayCpuMs: 0, postgresCpuMs: 0 };
  return taken;
}

/** CPU milliseconds per request, to three places; undefined without requests. */
export function cpuPerRequest(m: MeteredLoad): { gatewayMs: number; postgresMs: number; totalMs: number } | undefined {
  if (m.requests === 0) return undefined;
  const per = (ms: number) => Math.round((ms / m.requests) * 1000) / 1000;
  return { gatewayMs: per(m.gatewayCpuMs), postgresMs: per(m.postgresCpuMs), totalMs: per(m.gatewayCpuMs + m.postgresCpuMs) };
}
