/** The SQL port the registry and repository are written against; PostgreSQL and PGlite both implement it. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Plan this execution for its actual values instead of reusing the statement's cached plan.
   * For lookups on tables that grow from empty (the submission path): PostgreSQL keeps a
   * generic plan made while a fresh registry's tables were tiny, a sequential scan, until the
   * next autoanalyze, up to minutes later (measured: a 0.1 ms lookup at 3 ms after 15,000
   * submissions). Planning each time costs far less than that; reads on large tables keep
   * their cached plans.
   */
  planEachTime?: boolean;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn inside one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
