/**
 * What main.ts asks of the embedded default: with no DATABASE_URL and EMBEDDED_STORE=postgres,
 * start the PostgreSQL server under DATA_DIR and hand back a configuration that points at it.
 * Every other configuration passes through untouched (a server named by DATABASE_URL, or
 * PGlite, which the gateway opens itself).
 */
import type { Config } from './config';
import type { Logger } from './logger';
import fs from 'node:fs';
import { PostgresDatabase } from './store/sql/postgres';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './store/embedded-postgres/embedded-postgres';
import { UnreachableClusterError } from './store/embedded-postgres/server-account';
import { migrateFromPglite, pgliteDirOf } from './store/embedded-postgres/pglite-migration';

export interface StoreProcess {
  config: Config;
  /** Environment for worker processes, so that they reach the same server. */
  workerEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Pooled connections one gateway process may open beside its request pool (audit forwarding, migrations, jobs). */
const SPARE_PER_PROCESS = 5;

const unchanged = (config: Config): StoreProcess => ({ config, workerEnv: {}, stop: async () => undefined });

export async function startEmbeddedStore(config: Config, logger: Logger): Promise<StoreProcess> {
  if (config.databaseUrl || config.embeddedStore !== 'postgres') return unchanged(config);
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      connections: config.workers * (config.databasePoolSize + SPARE_PER_PROCESS),
      ...(config.embeddedPostgresBin ? { binDir: config.embeddedPostgresBin } : {}),
      logger,
    });
  } catch (err) {
    // Root running the gateway from a private directory (a checkout under /root): the server's
    // account cannot enter DATA_DIR. The zero-configuration start still works, on PGlite, and
    // says why and how to get the server; several workers need the server, so they stop here.
    if (!(err instanceof UnreachableClusterError) || config.workers > 1) throw err;
    logger.warn({ reason: err.message }, 'the embedded PostgreSQL server cannot run here; running on PGlite (EMBEDDED_STORE=pglite) instead');
    return unchanged({ ...config, embeddedStore: 'pglite' });
  }
  if (fs.existsSync(pgliteDirOf(config.dataDir))) {
    const db = new PostgresDatabase({ connectionString: server.url, maxConnections: 1 });
    try {
      await migrateFromPglite(config.dataDir, db, logger);
    } catch (err) {
      await server.stop();
      throw err;
    } finally {
      await db.close();
    }
  }
  return {
    config: { ...config, databaseUrl: server.url, embeddedPostgresVersion: server.version },
    workerEnv: { DATABASE_URL: server.url, HIE_EMBEDDED_POSTGRES_VERSION: server.version },
    stop: () => server.stop(),
  };
}
