/**
 * A circuit breaker per community: after `failureThreshold` consecutive unavailable answers it
 * opens, and calls are answered "unavailable" at once instead of waiting out the community's
 * timeout again; after `coolDownMs` one trial call goes through (half-open), and its outcome
 * closes or re-opens the circuit. Per process: each gateway process learns on its own.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  failureThreshold: number;
  coolDownMs: number;
}

export const DEFAULT_CIRCUIT_OPTIONS: CircuitOptions = { failureThreshold: 3, coolDownMs: 30_000 };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialRunning = false;

  constructor(private readonly options: CircuitOptions = DEFAULT_CIRCUIT_OPTIONS, private readonly now: () => number = Date.now) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open, only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  succeeded(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialRunning = false;
  }

  failed(): void {
    this.failures++;
    const wasTrial = this.trialRunning;
    this.trialRunning = false;
    if (wasTrial || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }
}
