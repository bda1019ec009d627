import assert from 'node:assert/strict';
import { createJobQueue } from '../../src/jobs/create-job-queue';
import { InProcessJobQueue } from '../../src/jobs/in-process-queue';
import { jobQueueContract, type TestJobs } from './job-queue.contract';

jobQueueContract('in-process', {
  backend: 'in-process',
  open: (_scope, opts) => new InProcessJobQueue<TestJobs>(opts),
});

describe('InProcessJobQueue', () => {
  it('is what createJobQueue builds when no Redis URL is configured', async () => {
    for (const redisUrl of [undefined, '']) {
      const q = createJobQueue({ redisUrl });
      assert.ok(q instanceof InProcessJobQueue);
      assert.equal((await q.stats()).backend, 'in-process');
      await q.close();
    }
  });

  it('rejects a concurrency below 1', () => {
    assert.throws(() => new InProcessJobQueue({ concurrency: 0 }), RangeError);
  });

  it('close() drops delayed jobs without leaving a timer behind', async () => {
    const q = new InProcessJobQueue();
    let runs = 0;
    q.registerHandler('echo', async () => {
      runs++;
    });
    await q.start();
    await q.enqueue('echo', {}, { delayMs: 30 });
    await q.close();
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(runs, 0);
  });
});
