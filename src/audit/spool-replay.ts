/**
 * Moves spooled audit records (audit-spool.ts) into the audit tables once the database
 * answers again, with the outbox rows of today's destinations so they are forwarded like
 * any other record. Idempotent: a record already stored (a replay that committed but
 * crashed before deleting its file) is not written twice, so a file is deleted only after
 * all its records are in.
 */
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { AuditLog } from './audit-jobs';
import type { AuditSpool } from './audit-spool';
import type { AuditEvent } from './fhir-audit-event';
import { auditRecords, type OutboxOptions } from './outbox';
import type { AuditEventStore } from './ports';

/** Records per statement: bounded, so one long outage's spool never makes one huge statement. */
const CHUNK = 500;

export class SpoolReplay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly spool: AuditSpool,
    private readonly store: AuditEventStore,
    private readonly outbox: OutboxOptions,
    private readonly log: AuditLog,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One replay round (what the timer runs); resolves with the records written. */
  replay(): Promise<number> {
    const round = this.running.then(() => this.replayFiles());
    this.running = round.catch(() => undefined);
    return round;
  }

  private async tick(): Promise<void> {
    try {
      const written = await this.replay();
      if (written > 0) this.log.warn({ records: written }, 'database back: spooled audit records written to the audit store');
    } catch (err) {
      // Still unreachable: the files stay, the next round tries again.
      if (!(err instanceof StoreUnavailableError)) this.log.error({ err }, 'audit spool replay failed');
    }
  }

  private async replayFiles(): Promise<number> {
    if (!(await this.spool.hasFiles())) return 0;
    // Only a database that answers is worth starting a new spool file for.
    await this.store.ping();
    let written = 0;
    for (const file of await this.spool.claim()) {
      const events = await this.spool.read(file);
      for (let i = 0; i < events.length; i += CHUNK) written += await this.writeNew(events.slice(i, i + CHUNK));
      await this.spool.remove(file);
    }
    return written;
  }

  private async writeNew(events: readonly AuditEvent[]): Promise<number> {
    const known = await this.store.storedIds(events.map((e) => e.id));
    const missing = events.filter((e) => !known.has(e.id));
    await this.store.write(auditRecords(missing, this.outbox));
    return missing.length;
  }
}
