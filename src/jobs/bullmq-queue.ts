// JobQueue on BullMQ/Redis. Every gateway process pointing at the same Redis
// and queue name shares one queue: any of them may enqueue, each started one
// runs a worker, and BullMQ hands each job to exactly one worker at a time.
import os from 'node:os';
import { Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { cappedBackoffMs } from '../backoff';
import { withTimeout } from '../timeout';
import { BaseJobQueue } from './base-job-queue';
import { errorMessage, resolveConcurrency, type ResolvedEnqueueOptions } from './job-options';
import { JobWaitTimeout, type DeadLetter, type JobMap, type JobOutcome, type JobQueueStats } from './job-queue';

export interface BullMqJobQueueOptions {
  /** Handlers this process runs at once. Default 4. */
  concurrency?: number;
  /**
   * Connection and worker errors (Redis unreachable, lost locks). They are not
   * job failures, which end up in the dead-letter list. Default: console.error.
   */
  onError?: (err: Error) => void;
  /** Redis connect and command timeouts (REDIS_CONNECT_TIMEOUT_MS, REDIS_COMMAND_TIMEOUT_MS). */
  timeouts?: RedisTimeouts;
}

export interface RedisTimeouts {
  connectMs: number;
  commandMs: number;
}

const DEFAULT_REDIS_TIMEOUTS: RedisTimeouts = { connectMs: 2_000, commandMs: 2_000 };

/** Reconnect attempts after a lost connection: quickly at first, then every 2 s (BullMQ's own default grows to 20 s, so jobs would resume that late). */
const reconnectDelay = (times: number) => cappedBackoffMs(times, 100, 2_000);

/**
 * ioredis options for each side. The producer (enqueue, counts) fails fast while Redis is
 * down, no offline queue and a command timeout, so a caller (a timer, /health, /metrics)
 * gets an error instead of waiting for Redis to return. The worker's connection keeps
 * BullMQ's settings: its blocking reads wait by design, and it must reconnect and resume
 * on its own.
 */
function connections(redisUrl: string, t: RedisTimeouts): { producer: ConnectionOptions; worker: ConnectionOptions } {
  return {
    producer: { url: redisUrl, connectTimeout: t.connectMs, commandTimeout: t.commandMs, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: reconnectDelay } as ConnectionOptions,
    worker: { url: redisUrl, connectTimeout: t.connectMs, retryStrategy: reconnectDelay } as ConnectionOptions,
  };
}

/**
 * BullMQ job id for an idempotency key: BullMQ de-duplicates on job id, but
 * rejects ids that contain ':' or are all digits (its own ids are integers), and
 * keys such as `urn:uuid:…` contain ':'. The prefix rules out integers and
 * auto-id clashes; the escaping keeps the mapping one-to-one and readable.
 */
export function jobIdForKey(key: string): string {
  return `key-${key.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

export class BullMqJobQueue<J = JobMap> extends BaseJobQueue<J> {
  readonly backend = 'bullmq' as const;

  private readonly workerConnection: ConnectionOptions;
  private readonly timeouts: RedisTimeouts;
  private readonly concurrency: number;
  private readonly onError: (err: Error) => void;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  /** Opened by the first waitForResult: a blocking reader of the queue's event stream. */
  private events: QueueEvents | undefined;
  /** Pending waitForResult calls, ended by close(). */
  private readonly waiting = new Set<(outcome: JobOutcome | Error) => void>();

  /** BullMQ opens (and on close, closes) its own ioredis connections from `redisUrl`. */
  constructor(redisUrl: string, readonly queueName: string, opts: BullMqJobQueueOptions = {}) {
    super();
    this.timeouts = opts.timeouts ?? DEFAULT_REDIS_TIMEOUTS;
    const { producer, worker } = connections(redisUrl, this.timeouts);
    this.workerConnection = worker;
    this.concurrency = resolveConcurrency(opts.concurrency);
    this.onError = opts.onError ?? ((err) => console.error(`[jobs ${queueName}] ${err.message}`));
    this.queue = new Queue(queueName, { connection: producer });
    // An EventEmitter 'error' with no listener would crash the process on a Redis hiccup.
    this.queue.on('error', this.onError);
  }

  protected async addJob(name: string, payload: unknown, opts: ResolvedEnqueueOptions): Promise<string> {
    const job = await this.queue.add(name, payload, {
      jobId: opts.idempotencyKey === undefined ? undefined : jobIdForKey(opts.idempotencyKey),
      delay: opts.delayMs,
      attempts: opts.attempts,
      backoff: { type: 'exponential', delay: opts.backoffMs },
      // Removing completed jobs frees their idempotency key, as in the port's contract;
      // failed ones stay as the dead-letter list (and keep their key).
      // keepResultMs: BullMQ removes by age (whole seconds) when later jobs complete, so "at least".
      removeOnComplete: opts.keepResultMs > 0 ? { age: Math.ceil(opts.keepResultMs / 1000) } : true,
      removeOnFail: false,
    });
    if (job.id === undefined) throw new Error('BullMQ returned a job without an id');
    return job.id;
  }

  protected async readDeadLetters(limit: number): Promise<DeadLetter[]> {
    // Only jobs out of attempts reach 'failed'; a failure with attempts left goes to 'delayed'.
    const jobs: (Job | undefined)[] = await this.queue.getFailed(0, limit - 1);
    return jobs
      .filter((job): job is Job => job?.id !== undefined)
      .map((job) => ({
        id: job.id as string,
        name: job.name,
        payload: job.data as unknown,
        attemptsMade: job.attemptsMade,
        error: job.failedReason,
        failedAt: new Date(job.finishedOn ?? job.timestamp),
      }));
  }

  async replayDeadLetter(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job || !(await job.isFailed())) return false;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch (err) {
      // Another process replayed it between our check and the retry script.
      if (!(await job.isFailed())) return false;
      throw err;
    }
  }

  async stats(): Promise<JobQueueStats> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'failed');
    return {
      backend: this.backend,
      waiting: c.waiting ?? 0,
      delayed: c.delayed ?? 0,
      active: c.active ?? 0,
      failed: c.failed ?? 0,
    };
  }

  private queueEvents(): QueueEvents {
    if (!this.events) {
      this.events = new QueueEvents(this.queueName, { connection: this.workerConnection });
      this.events.on('error', this.onError);
    }
    return this.events;
  }

  /**
   * Listens first, then reads the job's state, so a job finishing between the two is seen
   * either by the read or by the event (the order Job.waitUntilFinished uses as well).
   */
  protected async awaitOutcome(jobId: string, timeoutMs: number): Promise<JobOutcome> {
    const queueEvents = this.queueEvents();
    // Per-job events (`completed:<id>`) are emitted but not in BullMQ's typed listener map.
    const events = queueEvents as unknown as NodeJS.EventEmitter;
    return new Promise<JobOutcome>((resolve, reject) => {
      const finish = (outcome: JobOutcome | Error) => {
        clearTimeout(timer);
        this.waiting.delete(finish);
        events.off(`completed:${jobId}`, onCompleted);
        events.off(`failed:${jobId}`, onFailed);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onCompleted = (args: { returnvalue: unknown }) => finish({ state: 'completed', result: args.returnvalue });
      const onFailed = (args: { failedReason: string }) => finish({ state: 'failed', error: args.failedReason });
      const timer = setTimeout(() => finish(new JobWaitTimeout(jobId, timeoutMs)), timeoutMs);
      this.waiting.add(finish);
      events.on(`completed:${jobId}`, onCompleted);
      events.on(`failed:${jobId}`, onFailed);
      (async () => {
        await queueEvents.waitUntilReady();
        // State first, then the job: a Job read while it runs would carry no return value.
        const state = await this.queue.getJobState(jobId);
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
        const job = await this.queue.getJob(jobId);
        if (!job) finish(new Error(`no job ${jobId} (never enqueued, or completed and removed)`));
        else if (state === 'completed') finish({ state: 'completed', result: job.returnvalue as unknown });
        else if (state === 'failed') finish({ state: 'failed', error: job.failedReason });
        else finish(new Error(`job ${jobId} is in no known state`));
      })().catch((err: unknown) => finish(err instanceof Error ? err : new Error(errorMessage(err))));
    });
  }

  protected async startProcessing(): Promise<void> {
    const worker = new Worker(this.queueName, (job: Job) => this.process(job), {
      // Stored on each job it runs (processedBy): which process of the several on a queue ran it.
      name: `${os.hostname()}#${process.pid}`,
      connection: this.workerConnection,
      concurrency: this.concurrency,
    });
    worker.on('error', this.onError);
    this.worker = worker;
    // Redis down at start-up must not keep the gateway from serving: the worker connects
    // (and starts taking jobs) by itself once Redis answers.
    await withTimeout(worker.waitUntilReady(), this.timeouts.connectMs, 'Redis').catch((err: Error) =>
      this.onError(new Error(`job worker not connected yet, continuing without it: ${err.message}`)),
    );
  }

  protected async shutdown(): Promise<void> {
    // Worker.close() (not forced) stops fetching and waits for the active handlers.
    await this.worker?.close();
    for (const finish of [...this.waiting]) finish(new Error('job queue is closed'));
    await this.events?.close();
    await this.queue.close();
  }

  private async process(job: Job): Promise<unknown> {
    try {
      // attemptsMade counts finished failed runs, so it is 0 on the first run and after a replay.
      return await this.runHandler(job.name, job.data as unknown, { jobId: job.id as string, attempt: job.attemptsMade + 1 });
    } catch (err) {
      // BullMQ records err.message as failedReason; a thrown string would leave it empty.
      throw err instanceof Error ? err : new Error(errorMessage(err));
    }
  }
}

