/**
 * The audit trail as front ends use it: built once from configuration, it turns an
 * AuditInput into an AuditEvent and into rows for the outbox. A change passes
 * `rows(input)` to the registry's extraRows (same statement as the change); a read or
 * search awaits `record(db, input)` before it responds; a failed request records its
 * failure the same way.
 */
import type { SqlExecutor } from '../store/sql/database';
import type { TableRows } from '../store/sql/table-rows';
import type { AuditContext, AuditInput } from './audit-input';
import { buildAuditEvent } from './build-audit-event';
import type { AuditEvent } from './fhir-audit-event';
import { GroupedAuditWriter } from './grouped-audit-writer';
import { auditRows, recordAudit, type OutboxOptions } from './outbox';

export class AuditTrail {
  private readonly outbox: OutboxOptions;
  private readonly grouped: GroupedAuditWriter | undefined;

  constructor(
    readonly context: AuditContext,
    /** Destination names every new event is queued for. */
    readonly destinations: readonly string[],
    /** The gateway's database: records written to it on their own are grouped into shared commits. */
    groupedDb?: SqlExecutor,
  ) {
    this.outbox = { destinations, patientIdSystems: context.patientIdSystems };
    this.grouped = groupedDb ? new GroupedAuditWriter(groupedDb, this.outbox) : undefined;
  }

  event(input: AuditInput): AuditEvent {
    return buildAuditEvent(input, this.context);
  }

  /** Rows of one or more events, for a statement that also writes the change they record. */
  rows(inputs: AuditInput | readonly AuditInput[]): TableRows[] {
    const list: readonly AuditInput[] = Array.isArray(inputs) ? inputs : [inputs as AuditInput];
    return auditRows(list.map((i) => this.event(i)), this.outbox);
  }

  /** Writes the event now (in `db`, which may be the caller's transaction) and returns it. */
  async record(db: SqlExecutor, input: AuditInput): Promise<AuditEvent> {
    const event = this.event(input);
    // A caller's transaction must hold its own record; the shared database can group them.
    if (this.grouped && db === this.grouped.db) await this.grouped.write(event);
    else await recordAudit(db, event, this.outbox);
    return event;
  }

  /** Stores an event built elsewhere (e.g. one another actor sent over ITI-20), forwarded or not. */
  async store(db: SqlExecutor, event: AuditEvent, options: { forward: boolean }): Promise<void> {
    await recordAudit(db, event, options.forward ? this.outbox : { ...this.outbox, destinations: [] });
  }
}
