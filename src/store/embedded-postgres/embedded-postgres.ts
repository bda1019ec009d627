/**
 * The zero-configuration store: a real PostgreSQL server, the same engine as production,
 * initialised on first start and run by the gateway under DATA_DIR:
 *
 *   DATA_DIR/postgres/           the cluster (PGDATA), owned by the server's account
 *   DATA_DIR/postgres.password   the generated password of its role
 *   DATA_DIR/postgres.owner      the pid of the gateway that runs it (one gateway per DATA_DIR)
 *   DATA_DIR/run/                its Unix socket (or a directory under the temp dir when
 *                                DATA_DIR's path is too long for a socket address)
 *
 * The gateway connects through the same `pg` adapter as to any server. With WORKERS > 1 the
 * supervisor owns the server and hands the workers its connection string.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBinaries, publicCopy } from './binaries';
import { clusterExists, initCluster, readPassword, ROLE, type ClusterPaths } from './cluster-init';
import { releaseOwnership, takeOwnership } from './owner-lock';
import { runningPostmaster, startPostmaster, stopPostmaster } from './postmaster';
import { assertReachable, serverAccount, unreachableAncestor, type ServerAccount } from './server-account';

/** What the embedded server logs through (the gateway's pino logger fits). */
export interface EmbeddedPostgresLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface EmbeddedPostgres {
  /** Connection string for `pg` (Unix socket, role and generated password). */
  url: string;
  /** Server version, e.g. "15.18". */
  version: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Connections the gateway's processes open together; a few more are kept for maintenance. */
  connections: number;
  binDir?: string;
  logger: EmbeddedPostgresLog;
}

/** sockaddr_un holds 107 bytes: the socket file is `<dir>/.s.PGSQL.5432`. */
const MAX_SOCKET_DIR = 107 - '/.s.PGSQL.5432'.length;

function socketDirFor(dataDir: string): string {
  const own = path.join(dataDir, 'run');
  if (Buffer.byteLength(own) <= MAX_SOCKET_DIR) return own;
  return path.join(os.tmpdir(), `hie-pg-${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`);
}

function prepareSocketDir(dir: string, account: ServerAccount): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (account.separate) fs.chownSync(dir, account.uid, account.gid);
}

function connectionString(socketDir: string, password: string): string {
  return `postgresql://${ROLE}:${encodeURIComponent(password)}@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const paths: ClusterPaths = { dataDir: path.join(dataDir, 'postgres'), passwordFile: path.join(dataDir, 'postgres.password') };
  const ownerFile = path.join(dataDir, 'postgres.owner');
  takeOwnership(ownerFile, dataDir);
  try {
    let bin = await findPostgresBinaries(options.binDir);
    const account = await serverAccount();
    if (account.separate) {
      if (unreachableAncestor(bin.postgres) !== undefined) bin = publicCopy(bin, os.tmpdir());
      // DATA_DIR itself is the gateway's (blobs, keys): the server account only passes through it.
      fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o001);
      assertReachable(paths.dataDir, account);
    }
    const orphan = runningPostmaster(paths.dataDir);
    if (orphan !== undefined) {
      logger.warn({ pid: orphan }, 'embedded PostgreSQL left running by a gateway that died: stopping it before starting anew');
      await stopPostmaster(orphan);
    }
    if (!clusterExists(paths)) {
      const started = Date.now();
      await initCluster(paths, bin, account);
      logger.info({ dir: paths.dataDir, ms: Date.now() - started, version: bin.version }, 'embedded PostgreSQL cluster initialised');
    }
    const socketDir = socketDirFor(dataDir);
    prepareSocketDir(socketDir, account);
    const url = connectionString(socketDir, readPassword(paths));
    const started = Date.now();
    const postmaster = await startPostmaster(bin, paths.dataDir, account, { socketDir, maxConnections: options.connections + 5 }, url);
    logger.info({ pid: postmaster.pid, version: bin.version, socketDir, ms: Date.now() - started }, 'embedded PostgreSQL started');
    // A gateway that exits without stopping it (an uncaught error) still takes it along;
    // only kill -9 leaves it running, and the next start stops it (above).
    const onExit = () => {
      try {
        process.kill(postmaster.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    };
    process.once('exit', onExit);
    return {
      url,
      version: bin.version,
      async stop() {
        process.off('exit', onExit);
        await stopPostmaster(postmaster.pid);
        releaseOwnership(ownerFile);
        logger.info({ dir: paths.dataDir }, 'embedded PostgreSQL stopped');
      },
    };
  } catch (err) {
    releaseOwnership(ownerFile);
    throw err;
  }
}
