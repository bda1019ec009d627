/**
 * The PostgreSQL server process of the embedded default: started by the gateway, listening on
 * a Unix socket only (no TCP port that anyone else could reach or collide with), stopped with
 * a fast shutdown when the gateway stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';
import type { PostgresBinaries } from './binaries';
import { processAlive } from '../../process-alive';
import type { ServerAccount } from './server-account';

export interface ServerSettings {
  socketDir: string;
  maxConnections: number;
}

/**
 * Sized for a small node (the design's 1 GB hospital node): modest shared buffers, bounded
 * WAL, and no replication, so WAL carries only what crash recovery needs. Durability stays
 * as on a server: fsync and synchronous commit are on.
 */
function settings(s: ServerSettings): string[] {
  const values: Record<string, string | number> = {
    listen_addresses: '',
    unix_socket_directories: s.socketDir,
    unix_socket_permissions: '0700',
    max_connections: s.maxConnections,
    shared_buffers: '64MB',
    wal_level: 'minimal',
    max_wal_senders: 0,
    min_wal_size: '32MB',
    max_wal_size: '256MB',
    logging_collector: 'on',
    log_directory: 'log',
    log_filename: 'postgresql-%a.log',
    log_rotation_age: '1d',
    log_rotation_size: '10MB',
    log_truncate_on_rotation: 'on',
  };
  return Object.entries(values).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** The pid in PGDATA/postmaster.pid when that process still runs this cluster, else undefined. */
export function runningPostmaster(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]!, 10);
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  // After a reboot the pid may belong to an unrelated process: only a postgres on this
  // directory is ours to stop.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(dataDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); immediate if that hangs. */
export async function stopPostmaster(pid: number, graceMs = 15_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  if (await waitForExit(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  await waitForExit(pid, 5_000);
}

export interface Postmaster {
  pid: number;
  child: ChildProcess;
}

async function answers(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostmaster(
  bin: PostgresBinaries,
  dataDir: string,
  account: ServerAccount,
  server: ServerSettings,
  connectionString: string,
  timeoutMs = 60_000,
): Promise<Postmaster> {
  const child = spawn(bin.postgres, ['-D', dataDir, ...settings(server)], {
    // Its own process group: a Ctrl-C meant for the gateway must not stop the database
    // under requests the gateway is still finishing; the gateway stops it afterwards.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' },
    ...(account.separate ? { uid: account.uid, gid: account.gid } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the embedded PostgreSQL did not start (exit ${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
    }
    if (await answers(connectionString)) return { pid: child.pid!, child };
    if (Date.now() > deadline) {
      await stopPostmaster(child.pid!);
      throw new Error(`the embedded PostgreSQL did not answer within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
