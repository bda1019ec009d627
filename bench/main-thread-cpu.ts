// Preloaded into a gateway process (NODE_OPTIONS=--require) by bench/heavy-input.ts: the main
// thread's longest stretches of uninterrupted work in CPU time. Wall-clock figures (probe waits,
// event-loop delay) also count the time the machine gave other processes, which on a shared
// 2-core machine is most of it; CPU time does not. A 2 ms interval reads the main thread's
// /proc schedstat between event-loop turns; each gap's CPU time is one stretch in which the
// loop served nothing else (garbage collection on the main thread included; its helper threads'
// share is not). The stretches over 5 ms, with the wall time they ended, are written at exit to
// BENCH_MAIN_THREAD_CPU_FILE. Linux only.
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** [wall time the stretch ended (ms since the epoch), its CPU time (ms)] */
export type CpuStretch = [number, number];

const out = process.env.BENCH_MAIN_THREAD_CPU_FILE;
if (isMainThread && out) {
  const stat = `/proc/self/task/${process.pid}/schedstat`;
  const cpuNs = () => Number(readFileSync(stat, 'utf8').split(' ')[0]);
  const stretches: CpuStretch[] = [];
  let last = cpuNs();
  setInterval(() => {
    const now = cpuNs();
    const ms = (now - last) / 1e6;
    if (ms > 5) stretches.push([Date.now(), Math.round(ms * 10) / 10]);
    last = now;
  }, 2).unref();
  process.on('exit', () => writeFileSync(out, JSON.stringify(stretches)));
}

/** The longest stretch that ended within [from, to] (wall ms), from a file the preload wrote; undefined when there is none. */
export function longestCpuStretchMs(file: string, from: number, to: number): number | undefined {
  let stretches: CpuStretch[];
  try {
    stretches = JSON.parse(readFileSync(file, 'utf8')) as CpuStretch[];
  } catch {
    return undefined;
  }
  const within = stretches.filter(([end]) => end >= from && end <= to).map(([, ms]) => ms);
  return within.length > 0 ? Math.max(...within) : 0;
}
