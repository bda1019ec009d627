import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { BullMqJobQueue } from '../../src/jobs/bullmq-queue';
import { createJobQueue } from '../../src/jobs/create-job-queue';
import { needService } from '../support/services';
import { jobQueueContract, sleep, waitFor, type TestJobs } from './job-queue.contract';

let redisUrl = '';

async function obliterate(queueName: string): Promise<void> {
  const q = new Queue(queueName, { connection: { url: redisUrl } });
  await q.obliterate({ force: true });
  await q.close();
}

// Queue names are unique per test so runs (and parallel CI jobs) sharing one Redis never meet.
const queueName = (scope: string): string => `test-jobs-${scope}`;

jobQueueContract('bullmq', {
  backend: 'bullmq',
  setup: async (ctx) => {
    redisUrl = await needService(ctx, 'redis');
  },
  open: (scope, opts) => new BullMqJobQueue<TestJobs>(redisUrl, queueName(scope), opts),
  cleanup: (scope) => obliterate(queueName(scope)),
});

describe('BullMqJobQueue on one Redis shared by several processes', function () {
  let name = '';
  let queues: BullMqJobQueue<TestJobs>[] = [];
  const open = (concurrency = 1): BullMqJobQueue<TestJobs> => {
    const q = new BullMqJobQueue<TestJobs>(redisUrl, name, { concurrency });
    queues.push(q);
    return q;
  };

  before(async function () {
    redisUrl = await needService(this, 'redis');
  });
  beforeEach(() => {
    name = queueName(`s${randomBytes(5).toString('hex')}`);
    queues = [];
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await obliterate(name);
  });

  it('shares the work between processes: every job handled exactly once, by both workers', async () => {
    const producer = open(); // enqueues only, never started
    const handledBy: Array<{ n: number; worker: string }> = [];
    for (const worker of ['a', 'b']) {
      const q = open(2);
      q.registerHandler('echo', async (p) => {
        handledBy.push({ n: p.n, worker });
        await sleep(15);
      });
      await q.start();
    }
    const total = 40;
    for (let n = 0; n < total; n++) await producer.enqueue('echo', { n });
    await waitFor('all jobs handled', () => handledBy.length >= total, 10_000);
    await sleep(200); // room for a duplicate to show up
    assert.equal(handledBy.length, total);
    assert.deepEqual([...new Set(handledBy.map((h) => h.n))].sort((x, y) => x - y), [...Array(total).keys()]);
    for (const worker of ['a', 'b']) {
      assert.ok(handledBy.some((h) => h.worker === worker), `worker ${worker} handled nothing`);
    }
    assert.deepEqual(
      { ...(await producer.stats()), backend: 'bullmq' },
      { backend: 'bullmq', waiting: 0, delayed: 0, active: 0, failed: 0 },
    );
  });

  it('one process sees the idempotency keys and dead letters of another', async () => {
    const a = open();
    const b = open();
    a.registerHandler('echo', async () => {
      throw new Error('rejected by downstream');
    });
    await a.start();
    const id = await a.enqueue('echo', { n: 1 }, { idempotencyKey: 'urn:uuid:shared', attempts: 1 });
    await waitFor('dead letter', async () => (await b.stats()).failed === 1);
    assert.equal(await b.enqueue('echo', { n: 2 }, { idempotencyKey: 'urn:uuid:shared' }), id);
    const [dead] = await b.listDeadLetters();
    assert.equal(dead.id, id);
    assert.equal(dead.error, 'rejected by downstream');
  });

  it('jobs not started when a process closes are left in Redis for the others', async () => {
    const first = open(1);
    const ran: Array<{ n: number; by: string }> = [];
    first.registerHandler('echo', async (p) => {
      ran.push({ n: p.n, by: 'first' });
      await sleep(100);
    });
    await first.start();
    await first.enqueue('echo', { n: 1 });
    await first.enqueue('echo', { n: 2 });
    await waitFor('first job running', () => ran.length === 1);
    await first.close();
    assert.equal((await open().stats()).waiting, 1);

    const second = open(1);
    second.registerHandler('echo', async (p) => {
      ran.push({ n: p.n, by: 'second' });
    });
    await second.start();
    await waitFor('second job run', () => ran.length === 2);
    assert.deepEqual(ran, [
      { n: 1, by: 'first' },
      { n: 2, by: 'second' },
    ]);
  });

  it('is what createJobQueue builds when a Redis URL is configured', async () => {
    const q = createJobQueue({ redisUrl, queueName: name });
    queues.push(q as BullMqJobQueue<TestJobs>);
    assert.ok(q instanceof BullMqJobQueue);
    assert.equal(q.queueName, name);
    assert.equal((await q.stats()).backend, 'bullmq');
  });
});
