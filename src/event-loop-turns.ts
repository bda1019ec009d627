/**
 * A loop whose steps rarely wait on real I/O (a submission of hundreds of small documents kept
 * inline, each step resolved at once) runs as one unbroken chain of promise callbacks: no other
 * request, timer or socket gets a turn until the whole loop is done (issue 11 measured ~0.8 s
 * for 500 documents). `turns.yield()` after each step hands the event loop over once the loop
 * has held it for `sliceMs`, so one request stalls the others for about a slice at a time.
 * A short loop (a normal request) finishes inside its first slice and never waits. The first
 * slice starts at the first yield(), not when the turns are made: a request that waited for
 * its database or for other requests before its loop began has not held the event loop, and
 * under load (16 concurrent ITI-65s wait ~25 ms each) would otherwise hand it over at once,
 * a needless turn per step.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Holding the event loop this long is not noticed next to the ~100 ms budget of issue 11. */
const DEFAULT_SLICE_MS = 10;

export class EventLoopTurns {
  private sliceStart: number | undefined;

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** Resolves at once inside the slice; otherwise after the event loop has run its pending I/O and timers. */
  async yield(): Promise<void> {
    const now = performance.now();
    this.sliceStart ??= now;
    if (now - this.sliceStart < this.sliceMs) return;
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
