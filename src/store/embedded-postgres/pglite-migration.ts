/**
 * A DATA_DIR made by an earlier gateway holds its database in PGlite (DATA_DIR/pglite). On
 * the first start with the embedded PostgreSQL server, its rows move into the new cluster:
 * both stores run the same migrations, so every table has the same columns on both sides and
 * rows travel as JSON records, table by table, in one transaction on the target (all or
 * nothing). The PGlite directory is then renamed, never deleted, so a failed or doubted
 * migration can be redone with EMBEDDED_STORE=pglite.
 */
import fs from 'node:fs';
import type { Database, SqlExecutor } from '../sql/database';
import { migrate } from '../sql/migrate';
import { PgliteDatabase } from '../sql/pglite';
import type { EmbeddedPostgresLog } from './embedded-postgres';

const BATCH = 500;

/** Identifiers come from the catalog of our own schema; quoted all the same. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tablesOf(db: SqlExecutor): Promise<string[]> {
  const r = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  return r.rows.map((row) => row.table_name);
}

async function copyTable(source: Database, target: SqlExecutor, table: string): Promise<number> {
  let copied = 0;
  for (;;) {
    // ctid order pages through a table nobody else writes to, without needing a key.
    const r = await source.query<{ batch: string | null }>(
      `SELECT json_agg(t)::text AS batch FROM (SELECT * FROM ${ident(table)} ORDER BY ctid LIMIT ${BATCH} OFFSET ${copied}) t`,
    );
    const batch = r.rows[0]?.batch;
    if (!batch) return copied;
    const inserted = await target.query(`INSERT INTO ${ident(table)} SELECT * FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`, [batch]);
    copied += inserted.rowCount;
    if (inserted.rowCount < BATCH) return copied;
  }
}

/** bigserial columns continue after the highest value copied. */
async function advanceSequences(target: SqlExecutor): Promise<void> {
  const r = await target.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const { table_name: t, column_name: c } of r.rows) {
    await target.query(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${ident(c)}) FROM ${ident(t)}), 0) + 1, false)`, [t, c]);
  }
}

export function pgliteDirOf(dataDir: string): string {
  return `${dataDir}/pglite`;
}

/** Moves DATA_DIR/pglite's rows into `target` (migrated, empty) when that directory exists; returns whether it did. */
export async function migrateFromPglite(dataDir: string, target: Database, logger: EmbeddedPostgresLog): Promise<boolean> {
  const dir = pgliteDirOf(dataDir);
  if (!fs.existsSync(dir)) return false;
  logger.info({ from: dir }, 'moving the PGlite database of an earlier version into the embedded PostgreSQL');
  const source = await PgliteDatabase.open(dir);
  try {
    await migrate(source);
    await migrate(target);
    const counts: Record<string, number> = {};
    await target.transaction(async (tx) => {
      // Rows arrive table by table; references between them hold once all are in.
      await tx.exec('SET LOCAL session_replication_role = replica');
      for (const table of await tablesOf(source)) counts[table] = await copyTable(source, tx, table);
      await advanceSequences(tx);
    });
    const kept = `${dir}.migrated-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await source.close();
    fs.renameSync(dir, kept);
    logger.info({ rows: counts, kept }, 'PGlite database moved into the embedded PostgreSQL; the old directory is kept');
    return true;
  } finally {
    await source.close().catch(() => undefined);
  }
}
