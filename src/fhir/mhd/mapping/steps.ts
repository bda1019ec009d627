/**
 * Mapping work that grows with the input (a Bundle at the entry limit, a 64 MiB document's
 * base64) written as a generator that pauses (yields) between pieces, so a caller can hand the
 * event loop over between them (issue 11) while the mapping itself stays pure: run straight
 * through it is the plain synchronous mapping.
 */
export type Steps<T> = Generator<void, T, void>;

/** All steps at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The steps, awaiting `pause()` between them (e.g. EventLoopTurns.yield). */
export async function runStepsPausing<T>(steps: Steps<T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}
