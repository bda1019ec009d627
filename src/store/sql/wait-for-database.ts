/**
 * Start-up against a database that is not up yet (the gateway and PostgreSQL started
 * together, or the database restarting): retry with capped exponential backoff until it
 * answers, logging each wait, instead of exiting. Bounded (DATABASE_STARTUP_TIMEOUT_MS):
 * a database that never comes is a failure the operator must see.
 */
import { cappedBackoffMs } from '../../backoff';
import { StoreUnavailableError } from '../../domain/store-unavailable';

export interface StartupWait {
  timeoutMs: number;
  onWait: (info: { attempt: number; retryInMs: number; reason: string }) => void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/** Runs `step` until it no longer fails with StoreUnavailableError, or the time is up (then its last error). */
export async function whenDatabaseAnswers<T>(step: () => Promise<T>, wait: StartupWait): Promise<T> {
  const deadline = Date.now() + wait.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      const retryInMs = Math.min(cappedBackoffMs(attempt, FIRST_RETRY_MS, MAX_RETRY_MS), deadline - Date.now());
      if (retryInMs <= 0) throw new Error(`database unavailable for ${wait.timeoutMs} ms at start-up: ${err.reason}`);
      wait.onWait({ attempt: attempt + 1, retryInMs, reason: err.reason });
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}
