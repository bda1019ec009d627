/**
 * Whether the database is known to be unreachable right now (a circuit breaker). Once a
 * statement finds it gone (connection refused or lost, no answer in time), the next
 * requests are refused at once instead of each waiting out a connect or query timeout,
 * and their audit records go straight to the spool; a probe every PROBE_EVERY_MS finds
 * out when it answers again, and from then on requests go through: no restart needed.
 */
import { StoreUnavailableError } from '../../domain/store-unavailable';
import { TransactionTimeoutError } from './transaction-deadline';

const PROBE_EVERY_MS = 200;

/** Codes that say the statement was slow or the server full, not that the server is gone: they refuse only their own request. */
const SERVER_ALIVE = new Set(['57014', '53300']);

export class Availability {
  private down: StoreUnavailableError | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly probe: () => Promise<unknown>) {}

  /** Throws at once while the database is known to be unreachable. */
  check(): void {
    if (this.down) throw new StoreUnavailableError(this.down.reason);
  }

  /** A statement failed with `err` (already classified): opens the circuit when the server is gone. */
  failed(err: StoreUnavailableError, cause: unknown): void {
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (this.down || this.closed || err instanceof TransactionTimeoutError || (typeof code === 'string' && SERVER_ALIVE.has(code))) return;
    this.down = err;
    this.scheduleProbe();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
  }

  private scheduleProbe(): void {
    this.probeTimer = setTimeout(() => {
      this.probe().then(
        () => {
          this.down = undefined;
        },
        () => {
          if (!this.closed) this.scheduleProbe();
        },
      );
    }, PROBE_EVERY_MS);
    this.probeTimer.unref();
  }
}
