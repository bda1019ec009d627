// JobQueue kept in this process's memory: the embedded default when no Redis is
// configured. Nothing survives a restart, and only this process runs the jobs.
import { randomUUID } from 'node:crypto';
import { BaseJobQueue } from './base-job-queue';
import { backoffDelayMs, errorMessage, resolveConcurrency, type ResolvedEnqueueOptions } from './job-options';
import type { DeadLetter, JobMap, JobQueueStats } from './job-queue';

export interface InProcessJobQueueOptions {
  /** Handlers running at once. Default 4. */
  concurrency?: number;
}

type State = 'waiting' | 'delayed' | 'active' | 'dead';

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
}

export class InProcessJobQueue<J = JobMap> extends BaseJobQueue<J> {
  readonly backend = 'in-process' as const;

  private readonly concurrency: number;
  /** Every job that exists: waiting, delayed, active or dead (completed ones are deleted). */
  private readonly jobs = new Map<string, Entry>();
  private readonly idByKey = new Map<string, string>();
  /** FIFO of waiting jobs. */
  private readonly ready: Entry[] = [];
  /** Oldest first; listDeadLetters reads it backwards. */
  private readonly dead: Entry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
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
    const counts = { waiting: 0, delayed: 0, active: 0, dead: 0 };
    for (const e of this.jobs.values()) counts[e.state]++;
    const { dead, ...rest } = counts;
    return { backend: this.backend, ...rest, failed: dead };
  }

  protected async startProcessing(): Promise<void> {
    this.running = true;
    this.pump();
  }

  protected async shutdown(): Promise<void> {
    this.running = false;
    this.stopped = true;
    for (const e of this.jobs.values()) clearTimeout(e.timer);
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
        () => this.complete(entry),
        (err: unknown) => this.fail(entry, err),
      )
      .finally(() => {
        this.inFlight.delete(settled);
        this.pump();
      });
    this.inFlight.add(settled);
  }

  private complete(entry: Entry): void {
    this.jobs.delete(entry.id);
    const key = entry.opts.idempotencyKey;
    if (key !== undefined) this.idByKey.delete(key);
  }

  private fail(entry: Entry, err: unknown): void {
    entry.attemptsMade++;
    entry.error = errorMessage(err);
    if (entry.attemptsMade >= entry.opts.attempts) {
      entry.state = 'dead';
      entry.failedAt = new Date();
      this.dead.push(entry);
      return;
    }
    this.schedule(entry, backoffDelayMs(entry.attemptsMade, entry.opts.backoffMs));
  }
}
