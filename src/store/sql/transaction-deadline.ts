/**
 * The overall limit of one transaction, BEGIN to COMMIT (DATABASE_TRANSACTION_TIMEOUT_MS). The
 * statement limits bound each statement, but a transaction of many statements, or one that
 * waits on row locks another session holds, may take their sum: a submission would hold its
 * connection and its locks, and its client would wait, for as long as that goes on. PostgreSQL
 * 15 has no server-side transaction_timeout (that came with 17), so the client keeps it.
 *
 * Past the limit the transaction's pending and later statements fail with
 * TransactionTimeoutError, a StoreUnavailableError (503 / XDSRegistryBusy), and the caller
 * drops the connection and ends its server session, which rolls everything back. COMMIT is
 * not bounded by it: once sent, its outcome must be known (only the statement limits apply).
 */
import { StoreUnavailableError } from '../../domain/store-unavailable';
import type { StatementDeadlines } from './statement-deadlines';

/** The server is alive (only this transaction was slow): it does not open the circuit of availability.ts. */
export class TransactionTimeoutError extends StoreUnavailableError {
  constructor(limitMs: number) {
    super(`a database transaction did not finish within ${limitMs} ms and was rolled back`);
    this.name = 'TransactionTimeoutError';
  }
}

export class TransactionDeadline {
  private expired: TransactionTimeoutError | undefined;
  private readonly expiry: Promise<never>;
  private readonly stopWatching: () => void;

  constructor(timer: StatementDeadlines, limitMs: number) {
    let reject: (err: Error) => void = () => undefined;
    this.expiry = new Promise<never>((_, r) => (reject = r));
    // Nobody may be waiting on it when it expires (between statements): that is not an error.
    this.expiry.catch(() => undefined);
    this.stopWatching = timer.watch(() => {
      this.expired = new TransactionTimeoutError(limitMs);
      reject(this.expired);
    });
  }

  /** The error once the transaction ran out of time. */
  get error(): TransactionTimeoutError | undefined {
    return this.expired;
  }

  /** `work`'s outcome, or TransactionTimeoutError once the transaction is out of time. */
  bound<T>(work: Promise<T>): Promise<T> {
    if (this.expired) return Promise.reject(this.expired);
    return Promise.race([work, this.expiry]);
  }

  /** Before COMMIT, and when the transaction ended. */
  stop(): void {
    this.stopWatching();
  }
}
