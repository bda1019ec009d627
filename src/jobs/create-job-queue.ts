import { BullMqJobQueue, type RedisTimeouts } from './bullmq-queue';
import { InProcessJobQueue } from './in-process-queue';
import type { JobMap, JobQueue } from './job-queue';
import { JOB_QUEUES } from './queue-names';

export interface CreateJobQueueOptions {
  /** REDIS_URL. Set: BullMQ, shared by every process on that Redis. Unset: in-process. */
  redisUrl?: string;
  /** BullMQ queue name; processes share work only when it matches. Default 'hie-gateway'. */
  queueName?: string;
  /** Handlers this process runs at once. Default 4. */
  concurrency?: number;
  /** BullMQ only: Redis connection and worker errors. Default console.error. */
  onError?: (err: Error) => void;
  /** BullMQ only: Redis connect and command timeouts. */
  redisTimeouts?: RedisTimeouts;
}

export function createJobQueue<J = JobMap>(opts: CreateJobQueueOptions = {}): JobQueue<J> {
  if (opts.redisUrl) {
    return new BullMqJobQueue<J>(opts.redisUrl, opts.queueName ?? JOB_QUEUES.default, {
      concurrency: opts.concurrency,
      onError: opts.onError,
      ...(opts.redisTimeouts ? { timeouts: opts.redisTimeouts } : {}),
    });
  }
  return new InProcessJobQueue<J>({ concurrency: opts.concurrency });
}
