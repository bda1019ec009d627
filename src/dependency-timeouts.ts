/**
 * How long the gateway waits for PostgreSQL and Redis (environment, in milliseconds).
 * Defaults keep a request that cannot reach a dependency under about five seconds, so a
 * client gets a 503 / XDSRegistryBusy it can retry instead of hanging with the outage:
 *
 * - connect 2 s: a TCP connect plus the startup handshake takes milliseconds on a LAN;
 *   this also bounds the wait for a free pooled connection;
 * - statement 4 s, enforced by the server (statement_timeout), which cancels cleanly and
 *   keeps the connection; the registry's queries take milliseconds when healthy;
 * - query 5 s, enforced by the client: a second above the statement timeout so that it
 *   fires only when the server does not answer at all (frozen, network partition);
 * - transaction 10 s, BEGIN to COMMIT, enforced by the client (PostgreSQL 15 has no
 *   transaction_timeout): a submission's transaction takes milliseconds, but one of many
 *   statements, or waiting on another session's row locks, could add up past every
 *   statement limit; past it, it is rolled back and the client told to retry;
 * - start-up 60 s of waiting, with backoff, for a database that is not up yet;
 * - Redis connect 2 s, command 2 s (BullMQ's producer side; its blocking worker
 *   connection has no command timeout, as its blocking reads wait by design).
 */
import { positiveIntegerSetting as millis } from './env-number';

export interface DependencyTimeouts {
  databaseConnectMs: number;
  databaseStatementMs: number;
  databaseQueryMs: number;
  databaseTransactionMs: number;
  databaseStartupMs: number;
  redisConnectMs: number;
  redisCommandMs: number;
}

export function parseDependencyTimeouts(env: Record<string, string | undefined>): DependencyTimeouts {
  const databaseStatementMs = millis(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 4_000);
  return {
    databaseConnectMs: millis(env, 'DATABASE_CONNECT_TIMEOUT_MS', 2_000),
    databaseStatementMs,
    databaseQueryMs: millis(env, 'DATABASE_QUERY_TIMEOUT_MS', databaseStatementMs + 1_000),
    databaseTransactionMs: millis(env, 'DATABASE_TRANSACTION_TIMEOUT_MS', 10_000),
    databaseStartupMs: millis(env, 'DATABASE_STARTUP_TIMEOUT_MS', 60_000),
    redisConnectMs: millis(env, 'REDIS_CONNECT_TIMEOUT_MS', 2_000),
    redisCommandMs: millis(env, 'REDIS_COMMAND_TIMEOUT_MS', 2_000),
  };
}
