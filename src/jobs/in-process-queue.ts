// JobQueue kept in this process's memory: the embedded default when no Redis is
// configured. Nothing survives a restart, and only this process runs the jobs.
import { randomUUID } from 'node:crypto';
import { BaseJobQueue } from './base-job-queue';
import { backoffDelayMs, errorMessage, resolveConcurrency, type ResolvedEnqueueOptions } from './job-options';
import { JobWaitTimeout, type DeadLetter, type JobMap, type JobOutcome, type JobQueueStats } from './job-queue';

export interface InProcessJobQueueOptions {
  /** Handlers running at once. Default 4. */
  concurrency?: number;
}

type State = 'waiting' | 'delayed' | 'active' | 'dead' | 'completed';

interface Entry {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly opts: ResolvedEnqueueOptions;
  state: State;
  attemptsMade: number;
  timer?: NodeJS.Timeout;
  error?: string;
  failedAt?: Date;
  /** Set once completed (kept for opts.keepResultMs). */
  result?: unknown;
}

export class InProcessJobQueue<J = JobMap> extends BaseJobQueue<J> {
  readonly backend = 'in-process' as const;

  private readonly concurrency: number;
  /** Every job that exists: waiting, delayed, active, dead, or completed and kept for its result. */
  private readonly jobs = new Map<string, Entry>();
  private readonly idByKey = new Map<string, string>();
  /** FIFO of waiting jobs. */
  private readonly ready: Entry[] = [];
  /** Oldest first; listDeadLetters reads it backwards. */
  private readonly dead: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Callers of waitForResult, by job id, told when the job completes or dies. */
  private readonly waiters = new Map<string, Set<(outcome: JobOutcome | Error) => void>>();
  private running = false;
  private stopped = false;

  constructor(opts: InProcessJobQueueOptions = {}) {
    super();
    this.concurrency = resolveConcurrency(opts.concurrency);
  }

  protected async addJob(name: string, payload: unknown, opts: ResolvedEnqueueOptions): Promise<string> {
    const key = opts.idempotencyKey;
    const existing = key === undefined ? undefined : this.idByKey.get(key);
    if (existing !== undefined) return existing;
    const entry: Entry = { id: randomUUID(), name, payload, opts, state: 'waiting', attemptsMade: 0 };
    this.jobs.set(entry.id, entry);
    if (key !== undefined) this.idByKey.set(key, entry.id);
    this.schedule(entry, opts.delayMs);
    return entry.id;
  }

  protected async readDeadLetters(limit: number): Promise<DeadLetter[]> {
    return this.dead.slice(-limit).reverse().map((e) => ({
      id: e.id,
      name: e.name,
      payload: e.payload,
      attemptsMade: e.attemptsMade,
      error: e.error ?? '',
      failedAt: e.failedAt ?? new Date(0),
    }));
  }

  async replayDeadLetter(jobId: string): Promise<boolean> {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.state !== 'dead') return false;
    this.dead.splice(this.dead.indexOf(entry), 1);
    entry.attemptsMade = 0;
    entry.error = undefined;
    entry.failedAt = undefined;
    this.schedule(entry, 0);
    return true;
  }

  async stats(): Promise<JobQueueStats> {
    const counts = { waiting: 0, delayed: 0, active: 0, dead: 0, completed: 0 };
    for (const e of this.jobs.values()) counts[e.state]++;
    const { dead, completed: _kept, ...rest } = counts;
    return { backend: this.backend, ...rest, failed: dead };
  }

  protected awaitOutcome(jobId: string, timeoutMs: number): Promise<JobOutcome> {
    const entry = this.jobs.get(jobId);
    if (!entry) return Promise.reject(new Error(`no job ${jobId} (never enqueued, or completed and removed)`));
    if (entry.state === 'completed') return Promise.resolve({ state: 'completed', result: entry.result });
    if (entry.state === 'dead') return Promise.resolve({ state: 'failed', error: entry.error ?? '' });
    return new Promise<JobOutcome>((resolve, reject) => {
      const waiters = this.waiters.get(jobId) ?? new Set();
      this.waiters.set(jobId, waiters);
      const done = (outcome: JobOutcome | Error) => {
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        if (waiters.size === 0) this.waiters.delete(jobId);
        reject(new JobWaitTimeout(jobId, timeoutMs));
      }, timeoutMs);
      waiters.add(done);
    });
  }

  private notify(jobId: string, outcome: JobOutcome | Error): void {
    const waiters = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const w of waiters ?? []) w(outcome);
  }

  protected async startProcessing(): Promise<void> {
    this.running = true;
    this.pump();
  }

  protected async shutdown(): Promise<void> {
    this.running = false;
    this.stopped = true;
    for (const e of this.jobs.values()) clearTimeout(e.timer);
    for (const id of [...this.waiters.keys()]) this.notify(id, new Error('job queue is closed'));
    // Each in-flight promise settles its job before resolving, so after this no handler is running.
    await Promise.all(this.inFlight);
  }

  /** Makes the job runnable after `delayMs` (now if 0). */
  private schedule(entry: Entry, delayMs: number): void {
    if (delayMs <= 0) {
      entry.state = 'waiting';
      this.ready.push(entry);
      this.pump();
      return;
    }
    entry.state = 'delayed';
    // After close a retry would fire into a stopped queue and keep the process alive for nothing.
    if (this.stopped) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.schedule(entry, 0);
    }, delayMs);
  }

  private pump(): void {
    while (this.running && this.inFlight.size < this.concurrency && this.ready.length > 0) {
      this.run(this.ready.shift() as Entry);
    }
  }

  private run(entry: Entry): void {
    entry.state = 'active';
    const ctx = { jobId: entry.id, attempt: entry.attemptsMade + 1 };
    const settled: Promise<void> = this.runHandler(entry.name, entry.payload, ctx)
      .then(
        (result) => this.complete(entry, result),
        (err: unknown) => this.fail(entry, err),
      )
      .finally(() => {
        this.inFlight.delete(settled);
        this.pump();
      });
    this.inFlight.add(settled);
  }

  private complete(entry: Entry, result: unknown): void {
    this.notify(entry.id, { state: 'completed', result });
    if (entry.opts.keepResultMs > 0) {
      entry.state = 'completed';
      entry.result = result;
      entry.timer = setTimeout(() => this.remove(entry), entry.opts.keepResultMs);
      entry.timer.unref();
      return;
    }
    this.remove(entry);
  }

  private remove(entry: Entry): void {
    this.jobs.delete(entry.id);
    const key = entry.opts.idempotencyKey;
    if (key !== undefined && this.idByKey.get(key) === entry.id) this.idByKey.delete(key);
  }

  private fail(entry: Entry, err: unknown): void {
    entry.attemptsMade++;
    entry.error = errorMessage(err);
    if (entry.attemptsMade >= entry.opts.attempts) {
      entry.state = 'dead';
      entry.failedAt = new Date();
      this.dead.push(entry);
      this.notify(entry.id, { state: 'failed', error: entry.error });
      return;
    }
    this.schedule(entry, backoffDelayMs(entry.attemptsMade, entry.opts.backoffMs));
  }
}
