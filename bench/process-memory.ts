// Memory of a process and everything it started (worker processes, the embedded PostgreSQL
// server and its backends), read from /proc.
import { readFileSync } from 'node:fs';

/**
 * `VmRSS` (from status) counts every resident page of each process, so pages shared by
 * several (PostgreSQL's shared buffers) are counted once per process; `Pss` (from
 * smaps_rollup) divides them among their users, so the sum is what the tree really holds.
 */
export type MemoryField = 'VmRSS' | 'Pss';

function ownKb(pid: number, field: MemoryField): number {
  const file = field === 'VmRSS' ? `/proc/${pid}/status` : `/proc/${pid}/smaps_rollup`;
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // process gone
  }
}

export function treeMemoryKb(pid: number, field: MemoryField): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone */
  }
  return ownKb(pid, field) + children.reduce((sum, c) => sum + treeMemoryKb(c, field), 0);
}
