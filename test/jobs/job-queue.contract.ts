// One behavioural contract for every JobQueue adapter: job handlers are the same
// code on both backends, so both must honour the same rules. Each adapter's
// test file runs it with a fixture that opens fresh queues for it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { JobWaitTimeout, type JobBackend, type JobQueue, type JobQueueStats } from '../../src/jobs/job-queue';

export interface EchoPayload {
  n: number;
  text?: string;
}

/** The job names the contract uses; also checks the typed-map API compiles as intended. */
export interface TestJobs {
  echo: EchoPayload;
  /** Never registered: an unknown name must fail like any handler error. */
  orphan: { n: number };
}

export type TestQueue = JobQueue<TestJobs>;

export interface JobQueueFixture {
  backend: JobBackend;
  /** Runs in the suite's `before`; may skip the suite (needService). */
  setup?(ctx: Mocha.Context): Promise<void>;
  /**
   * A new queue in `scope`. Each test gets its own scope so tests never see
   * each other's jobs; queues opened with the same scope share their jobs
   * where the backend can (BullMQ), which the contract itself never relies on.
   */
  open(scope: string, opts?: { concurrency?: number }): TestQueue;
  /** After each test, once all its queues are closed: drop what the scope left behind. */
  cleanup?(scope: string): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `cond` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(5);
  }
}

/** A promise the test resolves by hand, to hold a handler inside its run. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const counts = (s: JobQueueStats) => ({ waiting: s.waiting, delayed: s.delayed, active: s.active, failed: s.failed });

// Timer and Redis clock granularity: a delay of d may be observed as d-1 ms.
const SLACK_MS = 5;

export function jobQueueContract(title: string, fixture: JobQueueFixture): void {
  describe(`JobQueue contract [${title}]`, function () {
    let scope = '';
    let opened: TestQueue[] = [];

    const open = (opts?: { concurrency?: number }): TestQueue => {
      const q = fixture.open(scope, opts);
      opened.push(q);
      return q;
    };

    before(async function () {
      await fixture.setup?.(this);
    });

    beforeEach(() => {
      scope = `c${randomBytes(5).toString('hex')}`;
      opened = [];
    });

    afterEach(async () => {
      await Promise.all(opened.map((q) => q.close()));
      await fixture.cleanup?.(scope);
    });

    it('runs the handler with the JSON form of the payload, the job id and attempt 1', async () => {
      const q = open();
      const seen: Array<{ payload: EchoPayload; jobId: string; attempt: number }> = [];
      q.registerHandler('echo', async (payload, ctx) => {
        seen.push({ payload, jobId: ctx.jobId, attempt: ctx.attempt });
      });
      await q.start();
      // A Date is not JSON: both adapters must hand the handler what Redis would.
      const payload = { n: 1, text: 'hello', when: new Date(0), skip: undefined } as unknown as EchoPayload;
      const id = await q.enqueue('echo', payload);
      assert.equal(typeof id, 'string');
      await waitFor('handler run', () => seen.length === 1);
      assert.deepEqual(seen[0], {
        payload: { n: 1, text: 'hello', when: '1970-01-01T00:00:00.000Z' },
        jobId: id,
        attempt: 1,
      });
      await waitFor('queue drained', async () => (await q.stats()).active === 0);
      assert.equal(q.backend, fixture.backend);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 0 });
    });

    it('does not run jobs before start(): enqueue-only use keeps them waiting', async () => {
      const q = open();
      let runs = 0;
      q.registerHandler('echo', async () => {
        runs++;
      });
      await q.enqueue('echo', { n: 1 });
      await q.enqueue('echo', { n: 2 });
      await sleep(100);
      assert.equal(runs, 0);
      assert.equal((await q.stats()).waiting, 2);
      await q.start();
      await waitFor('both jobs run', () => runs === 2);
    });

    // ':' and all-digit keys are both things BullMQ refuses as raw job ids.
    for (const key of ['urn:uuid:6f1c0c2e-7b43-4a6e-9a0f-1b2c3d4e5f60', '42']) {
      it(`an idempotency key ("${key}") gives one job while it waits or runs, and is free again after success`, async () => {
        const q = open();
        const hold = gate();
        const payloads: number[] = [];
        q.registerHandler('echo', async (p) => {
          payloads.push(p.n);
          await hold.promise;
        });
        const id1 = await q.enqueue('echo', { n: 1 }, { idempotencyKey: key });
        const id2 = await q.enqueue('echo', { n: 2 }, { idempotencyKey: key });
        assert.equal(id2, id1, 'waiting: same id');
        assert.equal((await q.stats()).waiting, 1, 'waiting: no second job');
        await q.start();
        await waitFor('handler entered', () => payloads.length === 1);
        const id3 = await q.enqueue('echo', { n: 3 }, { idempotencyKey: key });
        assert.equal(id3, id1, 'active: same id');
        assert.equal((await q.stats()).waiting, 0, 'active: no second job');
        hold.open();
        await waitFor('job completed', async () => (await q.stats()).active === 0);
        // The new job may reuse the id (BullMQ derives it from the key); what matters is that it runs.
        await q.enqueue('echo', { n: 4 }, { idempotencyKey: key });
        await waitFor('second job run', () => payloads.length === 2);
        assert.deepEqual(payloads, [1, 4]);
      });
    }

    it('an idempotency key stays taken while its job is a dead letter', async () => {
      const q = open();
      let runs = 0;
      q.registerHandler('echo', async () => {
        runs++;
        throw new Error('always');
      });
      await q.start();
      const id = await q.enqueue('echo', { n: 1 }, { idempotencyKey: 'doc-7', attempts: 1 });
      await waitFor('dead letter', async () => (await q.stats()).failed === 1);
      assert.equal(await q.enqueue('echo', { n: 2 }, { idempotencyKey: 'doc-7' }), id);
      await sleep(50);
      assert.equal(runs, 1);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 1 });
    });

    it('honours delayMs: the job is delayed and runs no earlier than the delay', async () => {
      const q = open();
      let ranAt = 0;
      q.registerHandler('echo', async () => {
        ranAt = Date.now();
      });
      await q.start();
      const t0 = Date.now();
      await q.enqueue('echo', { n: 1 }, { delayMs: 250 });
      assert.equal((await q.stats()).delayed, 1);
      await sleep(120);
      assert.equal(ranAt, 0, 'ran before its delay');
      await waitFor('delayed job run', () => ranAt > 0);
      assert.ok(ranAt - t0 >= 250 - SLACK_MS, `ran after ${ranAt - t0} ms, delay was 250`);
    });

    it('retries a failing job with exponential backoff (backoffMs * 2^(n-1)) until it succeeds', async () => {
      const q = open();
      const starts: Array<{ attempt: number; at: number }> = [];
      let succeeded = false;
      q.registerHandler('echo', async (_p, ctx) => {
        starts.push({ attempt: ctx.attempt, at: Date.now() });
        if (ctx.attempt < 4) throw new Error(`fail ${ctx.attempt}`);
        succeeded = true;
      });
      await q.start();
      await q.enqueue('echo', { n: 1 }, { attempts: 5, backoffMs: 40 });
      await waitFor('success on attempt 4', () => succeeded);
      assert.deepEqual(starts.map((s) => s.attempt), [1, 2, 3, 4]);
      const gaps = starts.slice(1).map((s, i) => s.at - starts[i].at);
      [40, 80, 160].forEach((min, i) => assert.ok(gaps[i] >= min - SLACK_MS, `retry ${i + 1} after ${gaps[i]} ms, expected >= ${min}`));
      await waitFor('drained', async () => (await q.stats()).active === 0);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 0 });
      assert.deepEqual(await q.listDeadLetters(), []);
    });

    it('dead-letters a job that fails every attempt, with its payload, attempts and last error', async () => {
      const q = open();
      let runs = 0;
      q.registerHandler('echo', async (_p, ctx) => {
        runs++;
        throw new Error(`boom on attempt ${ctx.attempt}`);
      });
      await q.start();
      const before = Date.now();
      const id = await q.enqueue('echo', { n: 7, text: 'x' }, { attempts: 3, backoffMs: 10 });
      await waitFor('dead letter', async () => (await q.stats()).failed === 1);
      await sleep(60);
      assert.equal(runs, 3, 'no run after the last attempt');
      const dead = await q.listDeadLetters();
      assert.equal(dead.length, 1);
      const { failedAt, ...rest } = dead[0];
      assert.deepEqual(rest, { id, name: 'echo', payload: { n: 7, text: 'x' }, attemptsMade: 3, error: 'boom on attempt 3' });
      assert.ok(failedAt instanceof Date && failedAt.getTime() >= before - SLACK_MS && failedAt.getTime() <= Date.now());
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 1 });
    });

    it('records a non-Error throw and an unknown job name as dead-letter errors', async () => {
      const q = open();
      q.registerHandler('echo', async () => {
        throw 'plain string'; // eslint-disable-line no-throw-literal
      });
      await q.start();
      const echoId = await q.enqueue('echo', { n: 1 }, { attempts: 1 });
      const orphanId = await q.enqueue('orphan', { n: 2 }, { attempts: 1 });
      await waitFor('two dead letters', async () => (await q.stats()).failed === 2);
      const byId = new Map((await q.listDeadLetters()).map((d) => [d.id, d.error]));
      assert.equal(byId.get(echoId), 'plain string');
      assert.equal(byId.get(orphanId), 'no handler registered for job "orphan"');
    });

    it('lists dead letters newest first, up to the limit', async () => {
      const q = open();
      q.registerHandler('echo', async () => {
        throw new Error('no');
      });
      await q.start();
      const ids: string[] = [];
      for (let n = 1; n <= 3; n++) {
        ids.push(await q.enqueue('echo', { n }, { attempts: 1 }));
        await waitFor(`dead letter ${n}`, async () => (await q.stats()).failed === n);
        await sleep(3); // distinct failure timestamps
      }
      assert.deepEqual((await q.listDeadLetters()).map((d) => d.id), [ids[2], ids[1], ids[0]]);
      assert.deepEqual((await q.listDeadLetters(2)).map((d) => d.id), [ids[2], ids[1]]);
      await assert.rejects(q.listDeadLetters(0), RangeError);
    });

    it('replays a dead letter with fresh attempts, and refuses ids that are not dead letters', async () => {
      const q = open();
      let failuresLeft = 2; // both original attempts
      const runs: number[] = [];
      let succeeded = false;
      q.registerHandler('echo', async (_p, ctx) => {
        runs.push(ctx.attempt);
        if (failuresLeft-- > 0) throw new Error('downstream unavailable');
        succeeded = true;
      });
      await q.start();
      const id = await q.enqueue('echo', { n: 1 }, { attempts: 2, backoffMs: 10 });
      await waitFor('dead letter', async () => (await q.stats()).failed === 1);
      assert.deepEqual(runs, [1, 2]);

      // With attempts not reset this one more failure would dead-letter it again at once.
      failuresLeft = 1;
      assert.equal(await q.replayDeadLetter(id), true);
      await waitFor('success after replay', () => succeeded);
      assert.deepEqual(runs, [1, 2, 1, 2]);
      await waitFor('drained', async () => (await q.stats()).active === 0);
      assert.deepEqual(await q.listDeadLetters(), []);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 0 });

      assert.equal(await q.replayDeadLetter(id), false, 'completed job');
      assert.equal(await q.replayDeadLetter('no-such-job'), false, 'unknown id');
      const delayedId = await q.enqueue('echo', { n: 2 }, { delayMs: 60_000 });
      assert.equal(await q.replayDeadLetter(delayedId), false, 'delayed job');
      assert.equal((await q.stats()).delayed, 1);
    });

    it('stats() counts waiting, delayed, active and dead jobs', async () => {
      const q = open({ concurrency: 1 });
      const hold = gate();
      let entered = 0;
      q.registerHandler('echo', async (p) => {
        if (p.n === 0) throw new Error('dies');
        entered++;
        await hold.promise;
      });
      await q.enqueue('echo', { n: 0 }, { attempts: 1 });
      await q.enqueue('echo', { n: 1 });
      await q.enqueue('echo', { n: 2 });
      await q.enqueue('echo', { n: 3 }, { delayMs: 60_000 });
      const idle = await q.stats();
      assert.equal(idle.backend, fixture.backend);
      assert.deepEqual(counts(idle), { waiting: 3, delayed: 1, active: 0, failed: 0 });

      await q.start();
      await waitFor('one dead, one running', async () => entered === 1 && (await q.stats()).failed === 1);
      assert.deepEqual(counts(await q.stats()), { waiting: 1, delayed: 1, active: 1, failed: 1 });

      hold.open();
      await waitFor('waiting jobs done', async () => entered === 2 && (await q.stats()).active === 0);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 1, active: 0, failed: 1 });
    });

    it('runs at most `concurrency` handlers at once', async () => {
      const q = open({ concurrency: 2 });
      let running = 0;
      let peak = 0;
      let done = 0;
      q.registerHandler('echo', async () => {
        peak = Math.max(peak, ++running);
        await sleep(40);
        running--;
        done++;
      });
      for (let n = 0; n < 6; n++) await q.enqueue('echo', { n });
      await q.start();
      await waitFor('all six done', () => done === 6);
      assert.equal(peak, 2);
    });

    it('close() waits for the running handler, takes no further job, and then refuses enqueue', async () => {
      const q = open({ concurrency: 1 });
      const started: number[] = [];
      const finished: number[] = [];
      q.registerHandler('echo', async (p) => {
        started.push(p.n);
        await sleep(150);
        finished.push(p.n);
      });
      await q.start();
      await q.enqueue('echo', { n: 1 });
      await q.enqueue('echo', { n: 2 });
      await waitFor('first handler running', () => started.length === 1);
      await q.close();
      assert.deepEqual(finished, [1], 'close resolved before the running handler finished');
      await sleep(100);
      assert.deepEqual(started, [1], 'a job started after close');
      await assert.rejects(q.enqueue('echo', { n: 3 }), /closed/);
      await assert.rejects(q.start(), /closed/);
      await q.close(); // idempotent
    });

    it('waitForResult hands back the result of a job that needed a retry, to a waiter from another queue object too', async () => {
      const q = open();
      const waiter = open(); // enqueue-only: like a second gateway process (same scope = same queue on BullMQ)
      q.registerHandler('echo', async (p, ctx) => {
        if (ctx.attempt === 1) throw new Error('transient');
        return { doubled: p.n * 2, text: p.text, attempt: ctx.attempt };
      });
      await q.start();
      const id = await q.enqueue('echo', { n: 21, text: 'é' }, { attempts: 3, backoffMs: 20, keepResultMs: 5_000 });
      const outcome = await (fixture.backend === 'bullmq' ? waiter : q).waitForResult(id, 5_000);
      assert.deepEqual(outcome, { state: 'completed', result: { doubled: 42, text: 'é', attempt: 2 } });
    });

    it('keepResultMs: a finished job keeps its key and result, so enqueueing it again runs nothing and a late waiter reads the result', async () => {
      const q = open();
      let runs = 0;
      q.registerHandler('echo', async (p) => {
        runs++;
        return p.n;
      });
      await q.start();
      const first = await q.enqueue('echo', { n: 7 }, { idempotencyKey: 'fan-out:r1:urn:oid:1.2.3', keepResultMs: 10_000 });
      assert.deepEqual(await q.waitForResult(first, 5_000), { state: 'completed', result: 7 });
      const again = await q.enqueue('echo', { n: 8 }, { idempotencyKey: 'fan-out:r1:urn:oid:1.2.3', keepResultMs: 10_000 });
      assert.equal(again, first);
      assert.deepEqual(await q.waitForResult(again, 5_000), { state: 'completed', result: 7 });
      await sleep(50);
      assert.equal(runs, 1);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 0 });
    });

    it('waitForResult reports a dead-lettered job with its last error, and null for a handler that returns nothing', async () => {
      const q = open();
      q.registerHandler('echo', async (p, ctx) => {
        if (p.n === 0) throw new Error(`refused on attempt ${ctx.attempt}`);
      });
      await q.start();
      const dead = await q.enqueue('echo', { n: 0 }, { attempts: 2, backoffMs: 10 });
      const done = await q.enqueue('echo', { n: 1 }, { keepResultMs: 5_000 });
      assert.deepEqual(await q.waitForResult(dead, 5_000), { state: 'failed', error: 'refused on attempt 2' });
      assert.deepEqual(await q.waitForResult(done, 5_000), { state: 'completed', result: null });
    });

    it('waitForResult gives up with JobWaitTimeout on an unfinished job and rejects an unknown one', async () => {
      const q = open();
      const hold = gate();
      q.registerHandler('echo', () => hold.promise);
      await q.start();
      const id = await q.enqueue('echo', { n: 1 });
      const t0 = Date.now();
      await assert.rejects(q.waitForResult(id, 150), (err: unknown) => err instanceof JobWaitTimeout && err.jobId === id);
      assert.ok(Date.now() - t0 >= 150 - SLACK_MS);
      await assert.rejects(q.waitForResult('no-such-job', 1_000), /no job no-such-job/);
      await assert.rejects(q.waitForResult(id, 0), RangeError);
      hold.open();
    });

    it('close() ends a pending waitForResult with an error instead of leaving it to its timeout', async () => {
      const q = open();
      const id = await q.enqueue('echo', { n: 1 }); // never started: the job waits
      const pending = q.waitForResult(id, 30_000).then(() => new Error('resolved'), (err: Error) => err);
      await sleep(50);
      const t0 = Date.now();
      await q.close();
      assert.match((await pending).message, /closed/);
      assert.ok(Date.now() - t0 < 5_000);
      await assert.rejects(q.waitForResult(id, 1_000), /closed/);
    });

    it('rejects late or duplicate handlers and invalid enqueue arguments', async () => {
      const q = open();
      q.registerHandler('echo', async () => undefined);
      assert.throws(() => q.registerHandler('echo', async () => undefined), /already registered/);
      await assert.rejects(q.enqueue('echo', { n: 1 }, { attempts: 0 }), RangeError);
      await assert.rejects(q.enqueue('echo', { n: 1 }, { delayMs: -1 }), RangeError);
      await assert.rejects(q.enqueue('echo', { n: 1 }, { backoffMs: 1.5 }), RangeError);
      await assert.rejects(q.enqueue('echo', { n: 1 }, { idempotencyKey: '' }), RangeError);
      await assert.rejects(q.enqueue('echo', undefined as unknown as EchoPayload), TypeError);
      await q.start();
      assert.throws(() => q.registerHandler('orphan', async () => undefined), /after start/);
      assert.deepEqual(counts(await q.stats()), { waiting: 0, delayed: 0, active: 0, failed: 0 });
    });
  });
}
