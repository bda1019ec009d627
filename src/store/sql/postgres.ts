import pg from 'pg';
import { StoreUnavailableError } from '../../domain/store-unavailable';
import { Availability } from './availability';
import { storeError } from './connection-failure';
import { StatementDeadlines } from './statement-deadlines';
import { TransactionDeadline } from './transaction-deadline';
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

/** Each unset = no limit (the driver's default). */
export interface PostgresTimeouts {
  /** TCP connect + startup handshake, and the wait for a free pooled connection. */
  connectMs?: number;
  /** Server-side statement_timeout. */
  statementMs?: number;
  /** Client-side (statement-deadlines.ts): a statement with no answer by then fails and its connection is dropped (a frozen server); also the idle-in-transaction limit. */
  queryMs?: number;
  /** Client-side, BEGIN to COMMIT (transaction-deadline.ts): past it the transaction is rolled back and fails as unavailable. */
  transactionMs?: number;
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
  timeouts?: PostgresTimeouts;
  /** A connection the server closed or lost while idle; the pool has replaced it already. */
  onConnectionError?: (err: Error) => void;
}

function poolConfig(options: PostgresOptions): pg.PoolConfig {
  const t = options.timeouts ?? {};
  return {
    connectionString: options.connectionString,
    max: options.maxConnections ?? 20,
    // A half-open connection (server host gone) is noticed by TCP keepalive, not only by the next query's timeout.
    keepAlive: true,
    ...(t.connectMs ? { connectionTimeoutMillis: t.connectMs } : {}),
    ...(t.statementMs ? { statement_timeout: t.statementMs } : {}),
    ...(t.queryMs ? { idle_in_transaction_session_timeout: t.queryMs } : {}),
  };
}

type Call = <T>(run: () => Promise<T>) => Promise<T>;

/** Runs a driver call, turning "the database is unreachable" into StoreUnavailableError and telling `availability`. */
function callerFor(availability: Availability): Call {
  return async (run) => {
    try {
      return await run();
    } catch (err) {
      const mapped = storeError(err);
      if (mapped instanceof StoreUnavailableError) availability.failed(mapped, err);
      throw mapped;
    }
  };
}

/** Sends a statement on a connection, bounded by the client-side deadline when one is set. */
type Send = <T>(statement: Promise<T>) => Promise<T>;

function executorOn(client: pg.PoolClient, call: Call, send: Send): SqlExecutor {
  return {
    async query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const r = await call(() => send(client.query(prepared(text, params, options))));
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(script: string) {
      await call(() => send(client.query(script)));
    },
  };
}

/**
 * pg's Pool and its clients are EventEmitters: a server restart (57P01 "terminating
 * connection due to administrator command") emits 'error' on every open connection, and
 * with no listener Node ends the process. Idle connections are removed by the pool, which
 * then emits on the pool itself; a connection in use gets a listener here for life, and
 * its next statement fails, which releases it with the error (destroyed, not reused).
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly availability: Availability;
  private readonly call: Call;
  private readonly deadlines: StatementDeadlines | undefined;
  private readonly transactionDeadlines: StatementDeadlines | undefined;
  private readonly transactionMs: number;
  private readonly send: Send;

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool(poolConfig(options));
    const queryMs = options.timeouts?.queryMs;
    this.deadlines = queryMs ? new StatementDeadlines(queryMs) : undefined;
    this.send = this.deadlines ? (statement) => this.deadlines!.run(statement) : (statement) => statement;
    this.transactionMs = options.timeouts?.transactionMs ?? 0;
    this.transactionDeadlines = this.transactionMs ? new StatementDeadlines(this.transactionMs) : undefined;
    this.availability = new Availability(() => this.onConnection((client) => client.query('SELECT 1')));
    this.call = callerFor(this.availability);
    const report = options.onConnectionError ?? (() => undefined);
    this.pool.on('error', report);
    this.pool.on('connect', (client) => client.on('error', report));
  }

  async query<R>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> {
    this.availability.check();
    const r = await this.call(() => this.onConnection((client) => client.query(prepared(text, params, options))));
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    this.availability.check();
    await this.call(() => this.onConnection((client) => client.query(script)));
  }

  /** One statement on a pooled connection (what pg's pool.query does), within the deadline; a failed one's connection is dropped, as pg's pool drops it. */
  private async onConnection<T>(statement: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failed: Error | undefined;
    try {
      return await this.send(statement(client));
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(failed);
    }
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.availability.check();
    const client = await this.call(() => this.pool.connect());
    const deadline = this.transactionDeadlines ? new TransactionDeadline(this.transactionDeadlines, this.transactionMs) : undefined;
    const tx = executorOn(client, this.call, deadline ? (statement) => deadline.bound(this.send(statement)) : this.send);
    // Set when the connection can't be trusted any more: it is then destroyed, not pooled.
    let broken: Error | undefined;
    try {
      await tx.exec('BEGIN');
      const result = await (deadline ? deadline.bound(fn(tx)) : fn(tx));
      deadline?.stop();
      await executorOn(client, this.call, this.send).exec('COMMIT');
      return result;
    } catch (err) {
      // Decided once: a deadline passing during the rollback below must not end a session that goes back to the pool.
      deadline?.stop();
      const timedOut = deadline?.error;
      const failure = timedOut ?? err;
      // A lost or frozen connection is not asked to roll back (that would wait out another
      // timeout): destroying it ends the transaction on the server all the same. One out of
      // time may have a statement waiting on a lock, which the server would only notice the
      // lost client after: its session is ended, so the rollback frees the locks at once.
      if (failure instanceof StoreUnavailableError) broken = failure;
      else await this.send(client.query('ROLLBACK')).catch((rollbackErr: Error) => (broken = rollbackErr));
      if (timedOut) this.endSession(client);
      throw failure;
    } finally {
      deadline?.stop();
      client.release(broken);
    }
  }

  /** Ends a connection's server session (pg_terminate_backend: its own role's sessions need no privilege). Best effort. */
  private endSession(client: pg.PoolClient): void {
    const pid = (client as unknown as { processID?: number }).processID;
    if (typeof pid === 'number') this.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.availability.close();
    this.deadlines?.close();
    this.transactionDeadlines?.close();
    await this.pool.end();
  }
}
