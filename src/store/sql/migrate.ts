import type { Database, SqlExecutor } from './database';
import * as m001 from './migrations/001-registry';
import * as m002 from './migrations/002-audit';
import * as m003 from './migrations/003-inline-metadata';
import * as m004 from './migrations/004-inline-documents';
import * as m005 from './migrations/005-inline-audit';
import * as m006 from './migrations/006-reregistration';
import * as m007 from './migrations/007-audit-dicom-type';
import * as m008 from './migrations/008-remote-document-cache';
import * as m009 from './migrations/009-subscriptions';

/** Ordered migrations; append only. Each runs once, in its own transaction. */
const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, name: 'registry', sql: m001.sql },
  { version: 2, name: 'audit', sql: m002.sql },
  { version: 3, name: 'inline-metadata', sql: m003.sql },
  { version: 4, name: 'inline-documents', sql: m004.sql },
  { version: 5, name: 'inline-audit', sql: m005.sql },
  { version: 6, name: 'reregistration', sql: m006.sql },
  { version: 7, name: 'audit-dicom-type', sql: m007.sql },
  { version: 8, name: 'remote-document-cache', sql: m008.sql },
  { version: 9, name: 'subscriptions', sql: m009.sql },
];

/**
 * Several gateway processes may start together against one PostgreSQL (WORKERS, replicas):
 * every step runs under one transaction-scoped advisory lock. Even `CREATE TABLE IF NOT
 * EXISTS` needs it: two of them racing both pass the check and one fails on pg_type.
 */
function underMigrationLock<T>(db: Database, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // PGlite is one connection in one process: nothing to race.
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(74110001)');
    return fn(tx);
  });
}

/** Applies the migrations not applied yet, up to `through` (all by default: tests stop earlier to populate an older schema). */
export async function migrate(db: Database, through = Infinity): Promise<number[]> {
  await underMigrationLock(db, (tx) =>
    tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`),
  );
  const applied = [];
  for (const m of MIGRATIONS.filter((x) => x.version <= through)) {
    const done = await underMigrationLock(db, async (tx) => {
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.rowCount > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
