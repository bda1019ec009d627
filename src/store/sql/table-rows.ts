/**
 * Rows for several tables written by ONE statement: each table's rows travel as a JSON
 * array expanded by jsonb_to_recordset, chained in data-modifying CTEs. A statement is
 * atomic on its own, so a write this way needs no explicit transaction and costs one
 * round trip however many objects and tables it touches. Bytes (`bytea` columns) travel
 * beside the JSON as binary parameters, which the row names by position: as text in the
 * JSON they would be twice their size, encoded here and decoded again by the server.
 */
import { EventLoopTurns } from '../../event-loop-turns';
import type { SqlExecutor } from './database';

/**
 * Rows serialised per step when a table has more (a submission at the entry limit has ~1,000
 * rows of whole metadata objects: ~30 ms of JSON.stringify in one piece, issue 11). A normal
 * submission's tables have a handful and take the single-piece path.
 */
const ROWS_PER_STEP = 50;

/** `rows` as a JSON array, serialised in steps with turns between them when there are many. */
async function rowsJson(rows: ReadonlyArray<Record<string, unknown>>, turns: EventLoopTurns): Promise<string> {
  if (rows.length <= ROWS_PER_STEP) return JSON.stringify(rows);
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STEP) {
    await turns.yield();
    for (const row of rows.slice(i, i + ROWS_PER_STEP)) parts.push(JSON.stringify(row));
  }
  return `[${parts.join(',')}]`;
}

/** Column name -> SQL type, in insert order. */
export type ColumnTypes = Readonly<Record<string, string>>;

export interface TableRows {
  table: string;
  columns: ColumnTypes;
  rows: ReadonlyArray<Record<string, unknown>>;
  /** Rows whose key is already taken are skipped (ON CONFLICT DO NOTHING) instead of failing the statement. */
  ifAbsent?: boolean;
}

/**
 * Writes that are more than an INSERT of given rows (the subscription events a submission
 * matches: an UPDATE numbering them, then their INSERT): named steps, each a CTE of the
 * statement in this order, referring to the steps before it by name. `param` adds a value
 * and returns its placeholder. Names must be unique in the statement (prefix them).
 */
export interface StatementSteps {
  steps: (param: (value: unknown) => string) => ReadonlyArray<{ name: string; sql: string }>;
}

export type StatementPart = TableRows | StatementSteps;

const isSteps = (p: StatementPart): p is StatementSteps => 'steps' in p;

/** One table's INSERT; `values` collects its parameters (the rows, then any bytes). */
async function insertFromJson(t: TableRows, values: unknown[], turns: EventLoopTurns): Promise<string> {
  const cols = Object.entries(t.columns);
  const byteColumns = cols.filter(([, type]) => type === 'bytea').map(([c]) => c);
  const bytes: string[] = [];
  let rows = t.rows;
  if (byteColumns.length > 0) {
    rows = t.rows.map((row) => {
      const out = { ...row };
      for (const c of byteColumns) {
        const v = row[c];
        // The row keeps the 1-based position of its bytes in the statement's ARRAY[...] below.
        out[c] = v instanceof Uint8Array ? bytes.push(`$${values.push(v)}::bytea`) : null;
      }
      return out;
    });
  }
  const json = `$${values.push(await rowsJson(rows, turns))}::jsonb`;
  const names = cols.map(([c]) => c).join(', ');
  const record = cols.map(([c, type]) => `${c} ${type === 'bytea' ? 'integer' : type}`).join(', ');
  const select = cols.map(([c, type]) => (type !== 'bytea' ? c : bytes.length === 0 ? 'NULL::bytea' : `(ARRAY[${bytes.join(', ')}])[${c}]`)).join(', ');
  const conflict = t.ifAbsent ? ' ON CONFLICT DO NOTHING' : '';
  return `INSERT INTO ${t.table} (${names}) SELECT ${select} FROM jsonb_to_recordset(${json}) AS x(${record})${conflict}`;
}

export async function insertTables(db: SqlExecutor, tables: readonly StatementPart[]): Promise<void> {
  const parts = tables.filter((t) => isSteps(t) || t.rows.length > 0);
  if (parts.length === 0) return;
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const turns = new EventLoopTurns();
  const statements: Array<{ name: string; sql: string }> = [];
  // In order: each statement numbers its parameters after the previous ones'.
  for (const [i, t] of parts.entries()) {
    if (isSteps(t)) statements.push(...t.steps(param));
    else statements.push({ name: `w${i}`, sql: await insertFromJson(t, values, turns) });
  }
  const last = statements.pop()!;
  const sql = statements.length === 0 ? last.sql : `WITH ${statements.map((s) => `${s.name} AS (${s.sql})`).join(', ')} ${last.sql}`;
  await db.query(sql, values);
}
