/**
 * Which driver errors mean "the database cannot be reached right now" rather than "this
 * statement is wrong". The first kind becomes a StoreUnavailableError (retry later); the
 * second stays what it is (a bug, a constraint the code relies on).
 */
import { StoreUnavailableError } from '../../domain/store-unavailable';

/** SQLSTATE classes and codes of an unreachable, restarting or overloaded server. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_ctl stop -m fast
  '57P02', // crash_shutdown: another backend crashed, or -m immediate
  '57P03', // cannot_connect_now: starting up / shutting down / in recovery
  '57014', // query_canceled: our statement_timeout fired
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** pg reports lost connections and its own timeouts only by message. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Connection ended unexpectedly$/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

export function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionFailure);
  return DRIVER_MESSAGES.some((m) => m.test(err.message));
}

/** The error to throw: a StoreUnavailableError for an unreachable database, the original otherwise. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || !isConnectionFailure(err)) return err;
  return new StoreUnavailableError(err instanceof Error ? err.message : String(err));
}
