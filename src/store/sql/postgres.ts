import pg from 'pg';
import type { Database, QueryOptions, QueryResult, SqlExecutor } from './database';

// Keep int8 (counts, sequences) as JS numbers: every int8 the store returns fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * Every statement runs as a named prepared statement, so each pooled connection parses and
 * plans a given SQL text once. The texts come from this codebase (a bounded set), never from
 * callers, so the per-connection statement cache stays small. `planEachTime` uses the
 * unnamed statement instead, which PostgreSQL plans for the values given.
 */
const statementNames = new Map<string, string>();
function prepared(text: string, params: readonly unknown[], options?: QueryOptions): pg.QueryConfig {
  if (options?.planEachTime) return { text, values: params as unknown[] };
  let name = statementNames.get(text);
  if (!name) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values: params as unknown[] };
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 20 });
  }

  async query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> {
    const r = await this.pool.query(prepared(text, params, options));
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlExecutor = {
      async query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
        const r = await client.query(prepared(text, params, options));
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
      async exec(script: string) {
        await client.query(script);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
