/**
 * Handles the core passes through without reading them. The core decides what commits
 * together (a submission and its audit record, a change and the repository index), the store
 * adapter decides how; these types let the core name "this transaction" and "these rows of
 * another table" without knowing the store is SQL. Only the adapter creates or opens them.
 */
declare const transactionBrand: unique symbol;
declare const rowsBrand: unique symbol;

/** An open store transaction: handed back to the store, and to hooks whose writes must commit with the change. */
export type StoreTransaction = { readonly [transactionBrand]: true };

/** Writes of other tables (repository index, audit outbox) that commit in the statement of a change. */
export type StoreRows = { readonly [rowsBrand]: true };
