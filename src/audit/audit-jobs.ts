/**
 * Forwarding runs as JobQueue jobs: a timer enqueues one `audit.forward` job per
 * destination, keyed so at most one waits or runs per destination across every process
 * sharing the queue (BullMQ) and a slow repository never piles up jobs. The job drains
 * that destination's due records.
 *
 * The handler never throws. Retries and backoff live in the outbox rows, which survive
 * restarts; a thrown job would also dead-letter after its attempts and keep its
 * idempotency key taken, which would stop that destination's forwarding for good.
 */
import type { JobQueue } from '../jobs/job-queue';
import type { AuditForwarder } from './forwarder';
import type { AuditOutboxStore } from './ports';

const AUDIT_FORWARD_JOB = 'audit.forward';

export interface AuditJobMap {
  [AUDIT_FORWARD_JOB]: { destination: string };
}

/**
 * The part of the JobQueue port forwarding uses. Structural, so the gateway's untyped
 * JobQueue (JobMap) fits as well as a JobQueue<AuditJobMap>.
 */
export type AuditJobQueue = Pick<JobQueue<AuditJobMap>, 'registerHandler' | 'enqueue'>;

export interface AuditLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AuditJobSettings {
  pollMs: number;
  /** Time one job may spend draining before it yields its worker. */
  drainBudgetMs: number;
  sentRetentionMs: number;
}

/** Delivered rows are pruned this often. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export class AuditForwardingJobs {
  private poller: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly outbox: AuditOutboxStore,
    private readonly jobs: AuditJobQueue,
    private readonly forwarder: AuditForwarder,
    private readonly settings: AuditJobSettings,
    private readonly log: AuditLog,
  ) {}

  /** Registers the job handler; call before jobs.start(). */
  register(): void {
    this.jobs.registerHandler(AUDIT_FORWARD_JOB, async (payload) => {
      const destination = (payload as { destination?: unknown } | null)?.destination;
      if (this.stopped || typeof destination !== 'string' || !this.forwarder.destinations.includes(destination)) {
        // Stopping, or another process configured differently owns it: nothing to do here.
        return;
      }
      const run = this.forward(destination);
      this.running.add(run);
      await run.finally(() => this.running.delete(run));
    });
  }

  private async forward(destination: string): Promise<void> {
    try {
      const report = await this.forwarder.drain(destination, this.settings.drainBudgetMs);
      if (report.retried > 0) this.log.warn({ destination, ...report }, 'audit forwarding: destination failing, records stay pending');
      if (report.rejected > 0) this.log.error({ destination, ...report }, 'audit forwarding: records rejected by the repository');
    } catch (err) {
      this.log.error({ err, destination }, 'audit forwarding failed; retried at the next poll');
    }
  }

  /** Starts polling: every pollMs each destination gets a forward job unless one is already queued. */
  start(): void {
    if (this.poller) return;
    this.poller = setInterval(() => this.poll(), this.settings.pollMs);
    this.poller.unref();
    this.pruner = setInterval(() => {
      this.outbox.pruneSent(this.settings.sentRetentionMs).catch((err: unknown) => this.log.error({ err }, 'audit outbox prune failed'));
    }, PRUNE_EVERY_MS);
    this.pruner.unref();
    this.poll();
  }

  /** Stops polling and waits for running drains, so the senders can be closed under no one. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearInterval(this.pruner);
    this.poller = undefined;
    this.pruner = undefined;
    await Promise.all(this.running);
  }

  /** Enqueues a forward job for every destination now (also what the timer does). */
  poll(): void {
    for (const destination of this.forwarder.destinations) {
      this.jobs
        .enqueue(AUDIT_FORWARD_JOB, { destination }, { idempotencyKey: `${AUDIT_FORWARD_JOB}:${destination}`, attempts: 1 })
        .catch((err: unknown) => this.log.error({ err, destination }, 'could not enqueue audit forwarding'));
    }
  }
}
