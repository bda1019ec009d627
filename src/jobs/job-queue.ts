/**
 * The JobQueue port: background work (audit delivery, remote-community calls)
 * handed off by request handlers. Two adapters implement it: BullMQ on Redis
 * (REDIS_URL set; durable, shared by several gateway processes) and an
 * in-process one (embedded default; jobs live only as long as the process).
 * Handlers are written once against this interface and run unchanged on both.
 *
 * Delivery is at-least-once on both adapters: a handler can run again after a
 * crash or a lost lock, so handlers must be idempotent.
 */

/**
 * Job name -> payload type, e.g. `{ 'audit.send': { eventId: string } }`.
 * Payloads cross Redis as JSON, so they must survive JSON.stringify/parse
 * unchanged (no Date, Map, Buffer, undefined, class instances).
 */
export type JobMap = Record<string, unknown>;

/** Names of the jobs in a map, as strings. */
export type JobName<J> = keyof J & string;

export type JobBackend = 'bullmq' | 'in-process';

export interface JobContext {
  readonly jobId: string;
  /** 1 on the first run; a replayed dead letter starts again at 1. */
  readonly attempt: number;
}

/**
 * Resolving = done; the resolved value is the job's result (JSON, like payloads), which
 * waitForResult hands to whoever waits for the job, in this process or another. Throwing =
 * this attempt failed (retried with backoff, then dead-lettered).
 */
export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  /**
   * While a job with this key exists (waiting, delayed, active or dead, or completed
   * and kept, see keepResultMs), enqueueing again returns that job's id and adds
   * nothing. A completed job is removed, so after it succeeds (and its result is no
   * longer kept) the key is free again.
   */
  idempotencyKey?: string;
  /**
   * Keep a completed job, its result and its idempotency key, for at least this many
   * ms, so waitForResult can read the result after the fact and a retried request with
   * the same key gets the finished job instead of running it again. Default 0: a
   * completed job is removed at once.
   */
  keepResultMs?: number;
  /** Earliest start, in ms from now. Default 0. */
  delayMs?: number;
  /** Total runs before the job is dead-lettered, first run included. Default 5. */
  attempts?: number;
  /** Wait before retry n is backoffMs * 2^(n-1). Default 1000. */
  backoffMs?: number;
}

/** A job that failed on every one of its attempts; kept until replayed. */
export interface DeadLetterOf<N extends string, P> {
  id: string;
  name: N;
  payload: P;
  /** Attempts made (equals the job's `attempts` option). */
  attemptsMade: number;
  /** Message of the error that failed the last attempt. */
  error: string;
  failedAt: Date;
}

/** Discriminated by `name`, so narrowing on it types `payload`. */
export type DeadLetter<J = JobMap> = { [N in JobName<J>]: DeadLetterOf<N, J[N]> }[JobName<J>];

/** How a job ended: its handler's result, or the error of its last attempt once it is dead-lettered. */
export type JobOutcome = { state: 'completed'; result: unknown } | { state: 'failed'; error: string };

/** waitForResult gave up: the job had not finished (it may still do so later). */
export class JobWaitTimeout extends Error {
  constructor(readonly jobId: string, readonly timeoutMs: number) {
    super(`job ${jobId} did not finish within ${timeoutMs} ms`);
    this.name = 'JobWaitTimeout';
  }
}

/** Snapshot for /health and /metrics. With BullMQ the counts cover every process on the queue. */
export interface JobQueueStats {
  backend: JobBackend;
  /** Ready to run now. */
  waiting: number;
  /** Waiting for their delay or retry backoff to pass. */
  delayed: number;
  /** Running in a handler. */
  active: number;
  /** Dead letters. */
  failed: number;
}

export interface JobQueue<J = JobMap> {
  readonly backend: JobBackend;

  /** One handler per name; only before start(), so no job can arrive for a name not yet registered. */
  registerHandler<N extends JobName<J>>(name: N, handler: JobHandler<J[N]>): void;

  /**
   * Adds a job and resolves with its id (the existing job's id when the
   * idempotency key is already taken). Needs no start(): a process may only
   * enqueue and leave the work to others. Rejects after close().
   */
  enqueue<N extends JobName<J>>(name: N, payload: J[N], opts?: EnqueueOptions): Promise<string>;

  /** Dead letters, newest first; `limit` defaults to 100. */
  listDeadLetters(limit?: number): Promise<DeadLetter<J>[]>;

  /**
   * Puts a dead letter back in the queue to run now with its full number of
   * attempts. Resolves false when no dead letter has that id (never existed,
   * already replayed, or not dead).
   */
  replayDeadLetter(jobId: string): Promise<boolean>;

  stats(): Promise<JobQueueStats>;

  /**
   * Waits until the job finishes, whichever process runs it: resolves with its result
   * once it completes, or with its last error once it is dead-lettered (a failed
   * attempt with attempts left is not an end). Rejects with JobWaitTimeout after
   * `timeoutMs`, and with an Error when no such job exists (never enqueued, or completed
   * without keepResultMs and removed). Needs no start().
   */
  waitForResult(jobId: string, timeoutMs: number): Promise<JobOutcome>;

  /** Begins running handlers. Idempotent. */
  start(): Promise<void>;

  /**
   * Stops taking jobs, waits for running handlers to finish, releases timers
   * and connections. Idempotent. With BullMQ, jobs not yet started stay in
   * Redis for the other processes; in-process they are dropped.
   */
  close(): Promise<void>;
}
