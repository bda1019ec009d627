// EventLoopTurns (src/event-loop-turns.ts): a loop of steps that never wait on I/O hands the
// event loop over once a slice has passed, and a short loop never waits at all.
import assert from 'node:assert/strict';
import { EventLoopTurns } from '../../src/event-loop-turns';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin: a step that holds the event loop */
  }
}

describe('EventLoopTurns', () => {
  it('lets a timer run between the steps of a long loop, about once a slice', async () => {
    const turns = new EventLoopTurns(10);
    let timerRanAfterStep = -1;
    setTimeout(() => (timerRanAfterStep = step), 0);
    let step = 0;
    for (; step < 20; step++) {
      busy(3);
      await turns.yield();
      if (timerRanAfterStep >= 0) break;
    }
    assert.ok(timerRanAfterStep >= 0 && timerRanAfterStep <= 5, `the timer ran after step ${timerRanAfterStep}`);
  });

  it('never yields inside the slice: a short loop finishes before a pending timer', async () => {
    const turns = new EventLoopTurns(1000);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    for (let step = 0; step < 100; step++) await turns.yield();
    assert.equal(timerRan, false);
  });

  it('starts its first slice at the first step, not when it was made: time spent waiting before the loop is not holding the loop', async () => {
    const turns = new EventLoopTurns(10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    let handedOver = false;
    setImmediate(() => (handedOver = true));
    for (let step = 0; step < 3; step++) await turns.yield();
    assert.equal(handedOver, false);
  });
});
