// A throwaway PostgreSQL cluster on a free port, for tests that stop, kill, freeze and
// restart the database (never the machine's shared one on 5432). Runs as the `postgres`
// OS user when the tests run as root (the server refuses root), with trust authentication
// and its data, socket and log in a temporary directory.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './gateway-process';
import { needBinary } from './required-binary';

const run = promisify(execFile);

/** Every installed version's bin directory, newest first (/usr/lib/postgresql/<version>/bin on Debian). */
function pgBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => path.join(root, v, 'bin'));
}

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  start(): Promise<void>;
  /** pg_ctl stop -m fast (clients disconnected, clean shutdown) or immediate (no shutdown checkpoint, like a crash). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  destroy(): Promise<void>;
}

/** Call inside a mocha `before`: initdb's directory, or skip (fail under CI). */
export function needPostgresBinaries(ctx: Mocha.Context): string {
  return path.dirname(needBinary(ctx, 'initdb (PostgreSQL server binaries)', [...pgBinDirs().map((d) => path.join(d, 'initdb')), 'initdb']));
}

export async function createPgCluster(binDir: string): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hie-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(binDir, tool), ...args]) : run(path.join(binDir, tool), args));
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  };
  const processes = async (): Promise<number[]> => {
    const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]).catch(() => ({ stdout: '' }));
    return [postmaster, ...stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0)];
  };
  const signalAll = async (signal: NodeJS.Signals) => {
    for (const pid of await processes()) {
      try {
        process.kill(pid, signal);
      } catch {
        // a backend that just exited
      }
    }
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    async stop(mode) {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    async destroy() {
      await signalAll('SIGCONT').catch(() => undefined);
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
