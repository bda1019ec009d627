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
import { auditRows, recordAudit, type OutboxOptions } from './outbox';

export class AuditTrail {
  private readonly outbox: OutboxOptions;

  constructor(
    readonly context: AuditContext,
    /** Destination names every new event is queued for. */
    readonly destinations: readonly string[],
  ) {
    this.outbox = { destinations, patientIdSystems: context.patientIdSystems };
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
    await recordAudit(db, event, this.outbox);
    return event;
  }

  /** Stores an event built elsewhere (e.g. one another actor sent over ITI-20), forwarded or not. */
  async store(db: SqlExecutor, event: AuditEvent, options: { forward: boolean }): Promise<void> {
    await recordAudit(db, event, options.forward ? this.outbox : { ...this.outbox, destinations: [] });
  }
}
