/**
 * The operator's view of jobs that failed every attempt (`npm run dead-letters -- …`):
 *
 *   list   [--queue default|communities|subscriptions] [--limit N] [--payload]   one JSON line per dead letter, newest first
 *   replay <jobId> [--queue default|communities|subscriptions]                   back in the queue with its full attempts
 *
 * It talks to the gateways' BullMQ queues on REDIS_URL, so it is authenticated the way Redis is
 * (the URL's credentials, TLS with rediss://): whoever may run it holds the queue's keys anyway.
 * Payloads are left out unless asked for: a community call's job carries the caller's forwarded
 * XUA assertion. The in-process queue of the embedded default lives inside its gateway process;
 * there is nothing here to reach, and the command says so.
 */
import { parseArgs } from 'node:util';
import { parseDependencyTimeouts } from './dependency-timeouts';
import { createJobQueue } from './jobs/create-job-queue';
import type { DeadLetter, JobQueue } from './jobs/job-queue';
import { isJobQueueKey, JOB_QUEUES } from './jobs/queue-names';

const USAGE = 'usage: dead-letters list [--queue default|communities|subscriptions] [--limit N] [--payload] | replay <jobId> [--queue default|communities|subscriptions]';

class UsageError extends Error {}

function lineOf(letter: DeadLetter, withPayload: boolean): string {
  const { payload, failedAt, ...rest } = letter;
  return JSON.stringify({ ...rest, failedAt: failedAt.toISOString(), ...(withPayload ? { payload } : {}) });
}

async function run(queue: JobQueue, command: string | undefined, args: string[], limit: number, withPayload: boolean): Promise<number> {
  switch (command) {
    case 'list':
      for (const letter of await queue.listDeadLetters(limit)) process.stdout.write(`${lineOf(letter, withPayload)}\n`);
      return 0;
    case 'replay': {
      const [jobId] = args;
      if (!jobId) throw new UsageError('replay needs a job id (see list)');
      const replayed = await queue.replayDeadLetter(jobId);
      process.stdout.write(`${JSON.stringify({ id: jobId, replayed })}\n`);
      return replayed ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command ${command ?? '(none)'}`);
  }
}

export async function deadLettersCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { queue: { type: 'string', default: 'default' }, limit: { type: 'string', default: '100' }, payload: { type: 'boolean', default: false } },
  });
  const [command, ...rest] = positionals;
  const key = values.queue!;
  const limit = Number(values.limit);
  if (!isJobQueueKey(key) || !Number.isInteger(limit) || limit < 1) throw new UsageError(`bad --queue or --limit`);
  if (!env.REDIS_URL) {
    process.stderr.write('REDIS_URL is not set: the in-process job queue of the embedded default keeps its dead letters inside the gateway process\n');
    return 2;
  }
  const timeouts = parseDependencyTimeouts(env);
  const queue = createJobQueue({
    redisUrl: env.REDIS_URL,
    queueName: JOB_QUEUES[key],
    redisTimeouts: { connectMs: timeouts.redisConnectMs, commandMs: timeouts.redisCommandMs },
    onError: (err) => process.stderr.write(`${err.message}\n`),
  });
  try {
    return await run(queue, command, rest, limit, values.payload!);
  } finally {
    await queue.close();
  }
}

if (require.main === module) {
  deadLettersCli(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof UsageError ? `${err.message}\n${USAGE}` : err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
