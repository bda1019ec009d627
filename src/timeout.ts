/**
 * A bound on how long anything waits for a dependency: the promise's outcome, or a
 * TimeoutError once `ms` have passed. The work itself is not cancelled (a promise can't
 * be); callers use this where the answer matters more than the work (/health, metrics).
 */
class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    timer.unref();
  });
  // The loser may still settle later: a late rejection must not become an unhandled one.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
