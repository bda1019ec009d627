// The operator's dead-letter command against a real Redis: a job that failed every attempt is
// listed (without its payload unless asked) and replayed into the same queue, where it runs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createJobQueue } from '../../src/jobs/create-job-queue';
import type { JobQueue } from '../../src/jobs/job-queue';
import { JOB_QUEUES } from '../../src/jobs/queue-names';
import { needRedisServer, startRedis, type RedisProcess } from '../support/redis-process';
import { waitFor } from './job-queue.contract';

const CLI = path.resolve(__dirname, '../../src/dead-letters-cli.js');
const run = promisify(execFile);

interface Jobs {
  'remote.call': { community: string; secret: string };
}

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('dead-letters command (BullMQ on a throwaway redis-server)', function () {
  this.timeout(60_000);
  let redis: RedisProcess;
  let queue: JobQueue<Jobs>;
  let healthy = false;
  const ran: string[] = [];

  before(async function () {
    redis = await startRedis(needRedisServer(this));
    queue = createJobQueue<Jobs>({ redisUrl: redis.url, queueName: JOB_QUEUES.communities });
    queue.registerHandler('remote.call', async (payload) => {
      if (!healthy) throw new Error(`community ${payload.community} refused the connection`);
      ran.push(payload.community);
    });
    await queue.start();
  });

  after(async () => {
    await queue?.close();
    await redis?.kill();
  });

  it('lists a dead letter without its payload, shows the payload on request, and replays it', async () => {
    const id = await queue.enqueue('remote.call', { community: 'urn:oid:1.2.3', secret: 'assertion' }, { attempts: 2, backoffMs: 10 });
    await waitFor('dead letter', async () => (await queue.stats()).failed === 1, 20_000);

    const listed = await cli({ REDIS_URL: redis.url }, 'list', '--queue', 'communities');
    assert.equal(listed.code, 0, listed.stderr);
    const [letter, ...more] = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(more, []);
    assert.equal(letter!.id, id);
    assert.equal(letter!.name, 'remote.call');
    assert.equal(letter!.attemptsMade, 2);
    assert.match(String(letter!.error), /refused the connection/);
    assert.equal(letter!.payload, undefined, 'payloads (forwarded assertions) stay hidden by default');

    const withPayload = await cli({ REDIS_URL: redis.url }, 'list', '--queue', 'communities', '--payload');
    assert.deepEqual((JSON.parse(withPayload.stdout.trim()) as { payload: unknown }).payload, { community: 'urn:oid:1.2.3', secret: 'assertion' });

    const otherQueue = await cli({ REDIS_URL: redis.url }, 'list');
    assert.equal(otherQueue.stdout.trim(), '', 'the default queue has no dead letters');

    healthy = true;
    const replayed = await cli({ REDIS_URL: redis.url }, 'replay', id, '--queue', 'communities');
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.deepEqual(JSON.parse(replayed.stdout), { id, replayed: true });
    await waitFor('replayed job ran', () => ran.length === 1, 20_000);
    assert.deepEqual(ran, ['urn:oid:1.2.3']);
    assert.equal((await queue.stats()).failed, 0);

    const again = await cli({ REDIS_URL: redis.url }, 'replay', id, '--queue', 'communities');
    assert.equal(again.code, 1, 'a dead letter is replayed once');
  });

  it('refuses what it cannot do: no Redis (in-process queue), unknown queue, unknown command', async () => {
    const noRedis = await cli({}, 'list');
    assert.equal(noRedis.code, 2);
    assert.match(noRedis.stderr, /REDIS_URL is not set/);
    const badQueue = await cli({ REDIS_URL: redis.url }, 'list', '--queue', 'nope');
    assert.equal(badQueue.code, 2);
    assert.match(badQueue.stderr, /usage: dead-letters/);
    const badCommand = await cli({ REDIS_URL: redis.url }, 'purge');
    assert.equal(badCommand.code, 2);
    assert.match(badCommand.stderr, /unknown command purge/);
  });
});
