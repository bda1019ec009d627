/**
 * The SQL meaning of the core's opaque handles (domain/store-transaction.ts): a transaction
 * is the SqlExecutor it runs on, extra rows are TableRows. Only adapters convert.
 */
import type { StoreRows, StoreTransaction } from '../../domain/store-transaction';
import type { SqlExecutor } from './database';
import type { StatementPart, TableRows } from './table-rows';

export const transactionHandle = (tx: SqlExecutor): StoreTransaction => tx as unknown as StoreTransaction;
export const executorOf = (tx: StoreTransaction): SqlExecutor => tx as unknown as SqlExecutor;
export const storeRows = (tables: readonly StatementPart[]): StoreRows[] => tables as unknown as StoreRows[];
/** Rows a caller knows to be plain table rows (tests read them back). */
export const tableRowsOf = (rows: readonly StoreRows[]): TableRows[] => rows as unknown as TableRows[];
export const statementPartsOf = (rows: readonly StoreRows[]): StatementPart[] => rows as unknown as StatementPart[];
