/**
 * The operating-system account the embedded PostgreSQL server runs as. PostgreSQL refuses to
 * run as root, so a gateway started as root (CI, a container without a USER) runs the server
 * as an unprivileged system account, created on first use, that owns only the cluster
 * directory. Any other user runs the server as itself: no extra step.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ServerAccount {
  uid: number;
  gid: number;
  name: string;
  /** True when the server runs as another account than the gateway (the gateway is root). */
  separate: boolean;
}

const SERVER_ACCOUNT_NAME = 'hie-postgres';

const run = promisify(execFile);

function lookup(name: string): { uid: number; gid: number } | undefined {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The account to run the server as; creates the system account when root runs the gateway. */
export async function serverAccount(name = SERVER_ACCOUNT_NAME): Promise<ServerAccount> {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? -1, name: 'self', separate: false };
  let ids = lookup(name);
  if (!ids) {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name]).catch((err: unknown) => {
      // Two gateways creating the account at once: the loser finds it made by the winner.
      if (!lookup(name)) throw new Error(`cannot create the system account ${name} for the embedded PostgreSQL: ${err instanceof Error ? err.message : String(err)}`);
    });
    ids = lookup(name)!;
  }
  return { ...ids, name, separate: true };
}

/**
 * The separate account must be able to reach `target` (the cluster directory, the binaries):
 * every directory above it must be searchable by others. Checked up front, because PostgreSQL
 * would only say "could not change directory" without naming which.
 */
export function unreachableAncestor(target: string): string | undefined {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** The server account cannot reach the cluster directory: the embedded server cannot run there. */
export class UnreachableClusterError extends Error {}

export function assertReachable(target: string, account: ServerAccount): void {
  if (!account.separate) return;
  const dir = unreachableAncestor(target);
  if (dir !== undefined) {
    throw new UnreachableClusterError(
      `the embedded PostgreSQL runs as the account ${account.name} (PostgreSQL refuses root), which cannot reach ${target}: ` +
        `${dir} is not searchable by other users. Put DATA_DIR under a directory others may enter, or run the gateway as a non-root user`,
    );
  }
}
