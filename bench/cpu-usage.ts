// CPU time of process trees, read from /proc/<pid>/stat: the gateway (its workers and, with the
// embedded default, its PostgreSQL server) and the machine's PostgreSQL server, so a benchmark
// can say how many CPU milliseconds a request cost — a figure a busy, shared machine disturbs
// far less than requests per second.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks of one process from the text of /proc/<pid>/stat: its own and its reaped children's. */
export interface StatTicks {
  ppid: number;
  /** utime + stime */
  own: number;
  /** cutime + cstime: children that exited and were waited for (PostgreSQL's ended backends). */
  reaped: number;
}

/**
 * The command name (field 2) is in parentheses and may hold spaces or ')', so the fields are
 * counted after its last ')': state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
 */
export function parseStat(text: string): StatTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const fields = text.slice(close + 2).trim().split(/\s+/); // fields[0] is field 3
  const at = (n: number) => {
    const v = Number(fields[n - 3]);
    if (!Number.isFinite(v)) throw new Error(`/proc stat field ${n} is missing`);
    return v;
  };
  return { ppid: at(4), own: at(14) + at(15), reaped: at(16) + at(17) };
}

let clockTicks: number | undefined;

/** Ticks per second (USER_HZ), 100 on Linux unless getconf says otherwise. */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
    clockTicks = Number.isFinite(out) && out > 0 ? out : 100;
  }
  return clockTicks;
}

function childrenOf(pid: number): number[] {
  try {
    // Threads of a Node process have no children of their own apart from the main thread's.
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return []; // gone
  }
}

function statOf(pid: number): StatTicks | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

/**
 * Ticks a process tree used so far: every live process's own and reaped children's, so a
 * child that ends between two samples is counted first in its own, then in its parent's.
 */
export function treeTicks(pid: number): number {
  const stat = statOf(pid);
  if (!stat) return 0;
  return stat.own + stat.reaped + childrenOf(pid).reduce((sum, c) => sum + treeTicks(c), 0);
}

/** Milliseconds of CPU between two samples of ticks. */
export function ticksToMs(before: number, after: number, perSecond = ticksPerSecond()): number {
  return ((after - before) * 1000) / perSecond;
}

/** The parent of a process (for a PostgreSQL backend: its postmaster). */
export function parentOf(pid: number): number | undefined {
  return statOf(pid)?.ppid;
}
