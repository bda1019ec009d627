/**
 * Rows for several tables written by ONE statement: each table's rows travel as a JSON
 * array expanded by jsonb_to_recordset, chained in data-modifying CTEs. A statement is
 * atomic on its own, so a write this way needs no explicit transaction and costs one
 * round trip however many objects and tables it touches.
 */
import type { SqlExecutor } from './database';

/** Column name -> SQL type, in insert order. */
export type ColumnTypes = Readonly<Record<string, string>>;

export interface TableRows {
  table: string;
  columns: ColumnTypes;
  rows: ReadonlyArray<Record<string, unknown>>;
}

function insertFromJson(t: TableRows, param: number): string {
  const cols = Object.entries(t.columns);
  const names = cols.map(([c]) => c).join(', ');
  const record = cols.map(([c, type]) => `${c} ${type}`).join(', ');
  return `INSERT INTO ${t.table} (${names}) SELECT ${names} FROM jsonb_to_recordset($${param}::jsonb) AS x(${record})`;
}

export async function insertTables(db: SqlExecutor, tables: readonly TableRows[]): Promise<void> {
  const parts = tables.filter((t) => t.rows.length > 0);
  if (parts.length === 0) return;
  const statements = parts.map((t, i) => insertFromJson(t, i + 1));
  const last = statements.pop()!;
  const sql = statements.length === 0 ? last : `WITH ${statements.map((s, i) => `w${i} AS (${s})`).join(', ')} ${last}`;
  await db.query(sql, parts.map((t) => JSON.stringify(t.rows)));
}
