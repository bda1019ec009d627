// A small tmpfs mounted for a suite, to fill up for real (a full disk answers ENOSPC mid-write,
// which no fake of fs reproduces faithfully). Needs root; skips elsewhere, fails in CI.
import { execFile } from 'node:child_process';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICES_REQUIRED as required } from './services';

const run = promisify(execFile);
const FILLER = '.filler';

export interface Tmpfs {
  dir: string;
  /** Writes one file until the filesystem is full. */
  fill(): Promise<void>;
  /** Removes what fill() wrote. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

/** Mounts a tmpfs of `bytes` on `dir`; skips the suite when mounting is impossible, unless CI requires it. */
export async function mountTmpfs(mocha: Mocha.Context, dir: string, bytes: number): Promise<Tmpfs> {
  await mkdir(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    if (required) throw new Error(`a tmpfs is required (CI or REQUIRE_SERVICES=1) but could not be mounted on ${dir}: ${String(err)}`);
    mocha.skip();
  }
  const filler = path.join(dir, FILLER);
  return {
    dir,
    async fill() {
      const fh = await open(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (;;) await fh.write(chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        await fh.close();
      }
    },
    free: () => rm(filler, { force: true }),
    async unmount() {
      await run('umount', [dir]);
    },
  };
}
