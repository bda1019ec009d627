// Runs a suite against both stores: embedded PGlite and the PostgreSQL server.
// Each PostgreSQL suite gets its own schema (via search_path) so suites don't see each other's rows.
import { randomBytes } from 'node:crypto';
import { createPgSchema } from './pg-schema';
import type { Database } from '../../src/store/sql/database';
import { migrate } from '../../src/store/sql/migrate';
import { PgliteDatabase } from '../../src/store/sql/pglite';
import { PostgresDatabase } from '../../src/store/sql/postgres';
import { needService } from './services';

export type StoreKind = 'pglite' | 'postgres';

let pglite: Promise<PgliteDatabase> | undefined;
function sharedPglite(): Promise<PgliteDatabase> {
  pglite ??= PgliteDatabase.open();
  return pglite;
}

/** A migrated, empty database of the given kind; call the returned drop() when done. */
export async function openTestDatabase(kind: StoreKind, postgresUrl?: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  if (kind === 'pglite') {
    // Starting PGlite costs ~2 s (WASM), so suites share one instance, each in its own
    // schema; mocha runs suites one after another, so switching search_path is safe.
    const db = await sharedPglite();
    await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
    await migrate(db);
    return { db, drop: () => db.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE`) };
  }
  if (!postgresUrl) throw new Error('postgresUrl required');
  const own = await createPgSchema(postgresUrl);
  const db = new PostgresDatabase({ connectionString: own.url, maxConnections: 8 });
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await own.drop();
    },
  };
}

/**
 * Declares `body` once per store. `ctx.db` is a fresh migrated database for the
 * describe block (created in before, dropped in after).
 */
export function describeEachStore(title: string, body: (ctx: { db: Database; kind: StoreKind }) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, function () {
      const ctx = { kind } as { db: Database; kind: StoreKind };
      let drop: (() => Promise<void>) | undefined;
      before(async function () {
        const url = kind === 'postgres' ? await needService(this, 'postgres') : undefined;
        const opened = await openTestDatabase(kind, url);
        ctx.db = opened.db;
        drop = opened.drop;
      });
      after(async () => {
        await drop?.();
      });
      body(ctx);
    });
  }
}
