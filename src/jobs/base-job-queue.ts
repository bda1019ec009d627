// The part of JobQueue that does not depend on where jobs are stored: handler
// registry, lifecycle rules and argument checks. Adapters fill in storage and
// processing, so the two cannot drift apart on the rules callers rely on.
import { DEFAULT_DEAD_LETTER_LIMIT, jsonPayload, resolveEnqueueOptions, type ResolvedEnqueueOptions } from './job-options';
import type {
  DeadLetter,
  EnqueueOptions,
  JobBackend,
  JobContext,
  JobHandler,
  JobMap,
  JobName,
  JobOutcome,
  JobQueue,
  JobQueueStats,
} from './job-queue';

export abstract class BaseJobQueue<J = JobMap> implements JobQueue<J> {
  abstract readonly backend: JobBackend;

  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  registerHandler<N extends JobName<J>>(name: N, handler: JobHandler<J[N]>): void {
    if (this.starting || this.closing) throw new Error(`registerHandler("${name}") after start() or close()`);
    if (this.handlers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async enqueue<N extends JobName<J>>(name: N, payload: J[N], opts?: EnqueueOptions): Promise<string> {
    if (this.closing) throw new Error('job queue is closed');
    if (!name) throw new RangeError('job name must not be empty');
    return this.addJob(name, jsonPayload(payload), resolveEnqueueOptions(opts));
  }

  async listDeadLetters(limit = DEFAULT_DEAD_LETTER_LIMIT): Promise<DeadLetter<J>[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
    return (await this.readDeadLetters(limit)) as DeadLetter<J>[];
  }

  start(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('job queue is closed'));
    this.starting ??= this.startProcessing();
    return this.starting;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // A close racing a start must not leave a worker behind that start() is still creating.
      await this.starting?.catch(() => undefined);
      await this.shutdown();
    })();
    return this.closing;
  }

  waitForResult(jobId: string, timeoutMs: number): Promise<JobOutcome> {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) return Promise.reject(new RangeError(`timeoutMs must be an integer >= 1, got ${timeoutMs}`));
    if (this.closing) return Promise.reject(new Error('job queue is closed'));
    return this.awaitOutcome(jobId, timeoutMs);
  }

  abstract replayDeadLetter(jobId: string): Promise<boolean>;
  abstract stats(): Promise<JobQueueStats>;

  /**
   * Runs the registered handler. An unknown name is an ordinary failure, not a
   * crash: with several processes mid-deploy, another one may know the job and
   * pick up a retry.
   */
  protected async runHandler(name: string, payload: unknown, ctx: JobContext): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler registered for job "${name}"`);
    const result = await handler(payload, ctx);
    // Stored as JSON on both backends, so a result that would not survive Redis fails here too.
    return result === undefined ? null : jsonPayload(result);
  }

  /** Stores the job (payload already JSON round-tripped, options resolved); resolves with its id. */
  protected abstract addJob(name: string, payload: unknown, opts: ResolvedEnqueueOptions): Promise<string>;
  protected abstract readDeadLetters(limit: number): Promise<DeadLetter[]>;
  protected abstract startProcessing(): Promise<void>;
  /** waitForResult after the argument checks. */
  protected abstract awaitOutcome(jobId: string, timeoutMs: number): Promise<JobOutcome>;
  /** Called once; must wait for running handlers. */
  protected abstract shutdown(): Promise<void>;
}
