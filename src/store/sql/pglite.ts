import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, SqlExecutor } from './database';

// PGlite reports affectedRows 0 for SELECT; pg's rowCount counts returned rows there.
function rowCount(r: { rows: unknown[]; affectedRows?: number }): number {
  return Math.max(r.rows.length, r.affectedRows ?? 0);
}

/** Embedded PostgreSQL (WASM) persisted in a directory; one connection, so transactions serialise. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  private constructor(private readonly db: PGlite) {}

  /** dataDir undefined = in-memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    return new PgliteDatabase(db);
  }

  async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.db.query<R>(text, params as unknown[]);
    return { rows: r.rows, rowCount: rowCount(r) };
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (t) =>
      fn({
        async query<R>(text: string, params: readonly unknown[] = []) {
          const r = await t.query<R>(text, params as unknown[]);
          return { rows: r.rows, rowCount: rowCount(r) };
        },
        async exec(script: string) {
          await t.exec(script);
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
