// A PostgreSQL schema of its own for one suite, benchmark or gateway process: its URL puts it
// on the search_path, so the code under test needs no schema name; drop() removes it whole.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PgSchema {
  name: string;
  /** The connection string with `options=-c search_path=<name>`. */
  url: string;
  drop(): Promise<void>;
}

async function run(postgresUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: postgresUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function createPgSchema(postgresUrl: string, prefix = 't'): Promise<PgSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await run(postgresUrl, `CREATE SCHEMA ${name}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return { name, url: url.toString(), drop: () => run(postgresUrl, `DROP SCHEMA ${name} CASCADE`) };
}
