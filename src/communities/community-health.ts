/**
 * What this process knows of each remote community's health: its circuit, the latency of its
 * last answer, how many calls failed. /health and /metrics read it; the fan-out writes it.
 */
import { CircuitBreaker, DEFAULT_CIRCUIT_OPTIONS, type CircuitOptions, type CircuitState } from './circuit-breaker';

export type CallOutcome = 'answered' | 'unavailable';

export interface CommunityHealthState {
  homeCommunityId: string;
  circuit: CircuitState;
  consecutiveFailures: number;
  /** Latency of the last answer (ms), absent before the first. */
  lastLatencyMs?: number;
  calls: number;
  errors: number;
  lastError?: string;
}

/** Told of every finished call (metrics). */
export type CallListener = (homeCommunityId: string, outcome: CallOutcome, seconds: number) => void;

interface Entry {
  breaker: CircuitBreaker;
  lastLatencyMs?: number;
  calls: number;
  errors: number;
  lastError?: string;
}

export class CommunityHealth {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<CallListener>();

  constructor(private readonly circuit: CircuitOptions = DEFAULT_CIRCUIT_OPTIONS, private readonly now: () => number = Date.now) {}

  private entry(homeCommunityId: string): Entry {
    let e = this.entries.get(homeCommunityId);
    if (!e) {
      e = { breaker: new CircuitBreaker(this.circuit, this.now), calls: 0, errors: 0 };
      this.entries.set(homeCommunityId, e);
    }
    return e;
  }

  /** Whether a call to the community may go out (false: its circuit is open). */
  tryAcquire(homeCommunityId: string): boolean {
    return this.entry(homeCommunityId).breaker.tryAcquire();
  }

  record(homeCommunityId: string, outcome: CallOutcome, latencyMs: number, error?: string): void {
    const e = this.entry(homeCommunityId);
    e.calls++;
    if (outcome === 'answered') {
      e.breaker.succeeded();
      e.lastLatencyMs = latencyMs;
    } else {
      e.breaker.failed();
      e.errors++;
      if (error !== undefined) e.lastError = error;
    }
    for (const l of this.listeners) l(homeCommunityId, outcome, latencyMs / 1000);
  }

  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `known`: communities to report even before their first call (the directory's). */
  states(known: Iterable<string> = []): CommunityHealthState[] {
    const ids = new Set([...known, ...this.entries.keys()]);
    return [...ids].sort().map((homeCommunityId) => {
      const e = this.entry(homeCommunityId);
      return {
        homeCommunityId,
        circuit: e.breaker.state,
        consecutiveFailures: e.breaker.consecutiveFailures,
        ...(e.lastLatencyMs !== undefined ? { lastLatencyMs: e.lastLatencyMs } : {}),
        calls: e.calls,
        errors: e.errors,
        ...(e.lastError !== undefined ? { lastError: e.lastError } : {}),
      };
    });
  }
}
