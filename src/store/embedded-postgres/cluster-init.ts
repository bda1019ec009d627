/**
 * First start: a new PostgreSQL cluster under DATA_DIR, with a generated password for its one
 * role. initdb writes into a staging directory that is renamed into place only when it
 * succeeded, so a start interrupted half-way leaves no half-made cluster for the next one.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PostgresBinaries } from './binaries';
import type { ServerAccount } from './server-account';

export const ROLE = 'hie';

export interface ClusterPaths {
  /** PGDATA. */
  dataDir: string;
  /** The generated password of ROLE, readable by the gateway only. */
  passwordFile: string;
}

function chownTo(target: string, account: ServerAccount): void {
  if (account.separate) fs.chownSync(target, account.uid, account.gid);
}

export function clusterExists(paths: ClusterPaths): boolean {
  return fs.existsSync(path.join(paths.dataDir, 'PG_VERSION'));
}

export async function initCluster(paths: ClusterPaths, bin: PostgresBinaries, account: ServerAccount): Promise<void> {
  const staging = `${paths.dataDir}.init`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  chownTo(staging, account);
  const password = randomBytes(24).toString('base64url');
  // initdb reads the password from a file, which the server account must be able to read
  // (initdb wants its target directory empty, so the file sits beside it); it goes at once.
  const pwfile = `${staging}.pw`;
  fs.writeFileSync(pwfile, password, { mode: 0o600 });
  chownTo(pwfile, account);
  try {
    await promisify(execFile)(
      bin.initdb,
      ['-D', staging, '-U', ROLE, '--pwfile', pwfile, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      { uid: account.separate ? account.uid : undefined, gid: account.separate ? account.gid : undefined, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } },
    );
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.trim() || (err instanceof Error ? err.message : String(err));
    throw new Error(`initdb failed for the embedded PostgreSQL in ${staging}: ${detail}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.writeFileSync(paths.passwordFile, password, { mode: 0o600 });
  fs.renameSync(staging, paths.dataDir);
}

export function readPassword(paths: ClusterPaths): string {
  try {
    return fs.readFileSync(paths.passwordFile, 'utf8').trim();
  } catch {
    throw new Error(`the embedded PostgreSQL cluster ${paths.dataDir} exists but its password file ${paths.passwordFile} is missing`);
  }
}
