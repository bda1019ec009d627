// Option defaults and the retry schedule, shared by both adapters so a job
// behaves the same whichever backend the deployment picked.
import type { EnqueueOptions } from './job-queue';

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_DEAD_LETTER_LIMIT = 100;

export type ResolvedEnqueueOptions = Required<Omit<EnqueueOptions, 'idempotencyKey'>> & Pick<EnqueueOptions, 'idempotencyKey'>;

function check(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Fills defaults and rejects nonsense up front, so a bad call fails at enqueue rather than inside a worker later. */
export function resolveEnqueueOptions(opts: EnqueueOptions = {}): ResolvedEnqueueOptions {
  const key = opts.idempotencyKey;
  if (key !== undefined && key.length === 0) throw new RangeError('idempotencyKey must not be empty');
  return {
    idempotencyKey: key,
    delayMs: check('delayMs', opts.delayMs ?? 0, 0),
    attempts: check('attempts', opts.attempts ?? DEFAULT_ATTEMPTS, 1),
    backoffMs: check('backoffMs', opts.backoffMs ?? DEFAULT_BACKOFF_MS, 0),
    keepResultMs: check('keepResultMs', opts.keepResultMs ?? 0, 0),
  };
}

export function resolveConcurrency(concurrency: number | undefined): number {
  return check('concurrency', concurrency ?? DEFAULT_CONCURRENCY, 1);
}

/**
 * Wait before the next run after `failedAttempts` failures: backoffMs * 2^(n-1).
 * BullMQ's built-in 'exponential' strategy (jitter off) is the same formula, so
 * the BullMQ adapter passes it to Redis as `{ type: 'exponential', delay: backoffMs }`
 * rather than running a custom strategy that every worker would need to have.
 */
export function backoffDelayMs(failedAttempts: number, backoffMs: number): number {
  return Math.round(backoffMs * 2 ** (failedAttempts - 1));
}

/**
 * The payload as a handler will see it. BullMQ stores JSON, so the in-process
 * adapter round-trips too: a payload that would change shape in Redis (a Date
 * becoming a string, an undefined field vanishing) changes shape on both, and
 * later mutation by the caller can't reach a queued job.
 */
export function jsonPayload<P>(payload: P): P {
  const text = JSON.stringify(payload);
  if (text === undefined) throw new TypeError('job payload must be JSON-serialisable');
  return JSON.parse(text) as P;
}

/** What a dead letter records of a failure; handlers may throw non-Errors. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
