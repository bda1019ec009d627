/** Writing buffers to a file completely, for the blob store and the MTOM spool. */
import type { FileHandle } from 'node:fs/promises';

/** Takes exactly n bytes off the front of `pending` as views (no copying). */
export function takeBytes(pending: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let need = n;
  while (need > 0) {
    const c = pending[0]!;
    if (c.length <= need) {
      out.push(c);
      pending.shift();
      need -= c.length;
    } else {
      out.push(c.subarray(0, need));
      pending[0] = c.subarray(need);
      need = 0;
    }
  }
  return out;
}

/**
 * Writes all of `bufs` at `position`. A disk that fills up mid-write first answers with a short
 * write and only the next write fails (ENOSPC), so the rest is written again (views, not
 * copies) until it is done or the error that explains the short write arrives.
 */
export async function writeAll(fh: FileHandle, bufs: readonly Buffer[], position: number): Promise<void> {
  const rest = [...bufs];
  let remaining = 0;
  for (const b of rest) remaining += b.length;
  while (remaining > 0) {
    const { bytesWritten } = await fh.writev(rest, position);
    if (bytesWritten === 0) throw Object.assign(new Error(`no byte of ${remaining} written`), { code: 'EIO' });
    takeBytes(rest, bytesWritten);
    position += bytesWritten;
    remaining -= bytesWritten;
  }
}
