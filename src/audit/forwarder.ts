/**
 * Delivers outbox records to one destination: claim a batch of due records, hand them
 * to the destination's sender, record each verdict. The outbox is the source of truth
 * for retries (per-record exponential backoff in next_attempt_at), so the schedule
 * survives restarts and process crashes, whichever job backend runs the forwarding.
 */
import type { AuditOutboxStore, RetryPolicy } from './ports';
import { errorText, type AuditSender, type DeliveryResult } from './senders/sender';

export interface ForwarderSettings {
  /** Records per claim and per send. */
  batchSize: number;
  /** How long a claim holds records before another sender may take them. Longer than any send. */
  leaseMs: number;
  retry: RetryPolicy;
}

export interface BatchReport {
  sent: number;
  retried: number;
  rejected: number;
}

const EMPTY: BatchReport = { sent: 0, retried: 0, rejected: 0 };

function add(a: BatchReport, b: BatchReport): BatchReport {
  return { sent: a.sent + b.sent, retried: a.retried + b.retried, rejected: a.rejected + b.rejected };
}

export class AuditForwarder {
  private readonly senders: ReadonlyMap<string, AuditSender>;

  constructor(
    private readonly outbox: AuditOutboxStore,
    senders: readonly AuditSender[],
    private readonly settings: ForwarderSettings,
  ) {
    this.senders = new Map(senders.map((s) => [s.name, s]));
  }

  get destinations(): string[] {
    return [...this.senders.keys()];
  }

  /** One claim and one send; an empty report when nothing was due. */
  async forwardBatch(destination: string): Promise<BatchReport> {
    const sender = this.senders.get(destination);
    if (!sender) throw new Error(`no audit destination named "${destination}"`);
    const claimed = await this.outbox.claimDue(destination, this.settings.batchSize, this.settings.leaseMs);
    if (claimed.length === 0) return EMPTY;
    let results: DeliveryResult[];
    try {
      results = await sender.send(claimed.map((c) => c.event));
    } catch (err) {
      const error = errorText(err);
      results = claimed.map(() => ({ status: 'retry', error }));
    }
    return this.settle(destination, claimed.map((c) => c.eventId), results);
  }

  /**
   * Forwards batch after batch until nothing is due or `budgetMs` is spent (so one busy
   * destination does not hold a job worker forever; the next poll carries on).
   */
  async drain(destination: string, budgetMs: number): Promise<BatchReport> {
    const deadline = Date.now() + budgetMs;
    let total = EMPTY;
    for (;;) {
      const report = await this.forwardBatch(destination);
      total = add(total, report);
      const processed = report.sent + report.retried + report.rejected;
      // A short batch means the due records ran out; a failing destination waits for its backoff.
      if (processed < this.settings.batchSize || report.retried > 0 || Date.now() >= deadline) return total;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.close().catch(() => undefined)));
  }

  private async settle(destination: string, ids: string[], results: DeliveryResult[]): Promise<BatchReport> {
    const sent: string[] = [];
    const retry = new Map<string, string[]>();
    const rejected = new Map<string, string[]>();
    results.forEach((r, i) => {
      const id = ids[i]!;
      if (r.status === 'sent') sent.push(id);
      else {
        const byError = r.status === 'retry' ? retry : rejected;
        const group = byError.get(r.error) ?? [];
        group.push(id);
        byError.set(r.error, group);
      }
    });
    await this.outbox.markSent(destination, sent);
    for (const [error, group] of retry) await this.outbox.markRetry(destination, group, error, this.settings.retry);
    for (const [error, group] of rejected) await this.outbox.markFailed(destination, group, error);
    const count = (m: Map<string, string[]>) => [...m.values()].reduce((n, g) => n + g.length, 0);
    return { sent: sent.length, retried: count(retry), rejected: count(rejected) };
  }
}
