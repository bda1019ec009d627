/**
 * The audit trail: built once from configuration, it turns an AuditInput into an
 * AuditEvent and into rows for the outbox. Requests are audited through the scope it opens
 * (audit-scope.ts): the core puts a change's rows into the change's statement and records a
 * read before it is answered.
 */
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { SqlExecutor } from '../store/sql/database';
import type { TableRows } from '../store/sql/table-rows';
import type { AuditContext, AuditInput } from './audit-input';
import type { AuditSpool } from './audit-spool';
import { buildAuditEvent } from './build-audit-event';
import type { AuditEvent } from './fhir-audit-event';
import { GroupedAuditWriter } from './grouped-audit-writer';
import { auditRows, recordAudit, type OutboxOptions } from './outbox';
import { AuditScope, type AuditRequest } from './audit-scope';
import type { AuthenticationFailure } from '../security/authentication-failure';
import { authenticationFailureEvent } from './authentication-event';
import { queryAuditEvents, type AuditQuery, type AuditQueryResult } from './audit-query';
import type { Principal } from '../domain/principal';

/** A query limited to what `principal` may read: a patient-context caller reads only its own patient's trail. */
function scoped(principal: Principal, query: AuditQuery): AuditQuery {
  const { scopePatientId: _asked, ...rest } = query;
  return principal.patientId !== undefined ? { ...rest, scopePatientId: principal.patientId } : rest;
}

export class AuditTrail {
  private readonly outbox: OutboxOptions;
  private readonly grouped: GroupedAuditWriter | undefined;

  constructor(
    readonly context: AuditContext,
    /** Destination names every new event is queued for. */
    readonly destinations: readonly string[],
    /** The gateway's database: records written to it on their own are grouped into shared commits. */
    groupedDb?: SqlExecutor,
    /** Where records for that database go while it is unreachable (audit-spool.ts). */
    private readonly spool?: AuditSpool,
  ) {
    this.outbox = { destinations, patientIdSystems: context.patientIdSystems };
    this.grouped = groupedDb ? new GroupedAuditWriter(groupedDb, this.outbox) : undefined;
  }

  /** The audit of one request; its records written on their own go to the trail's database. */
  scope(request: AuditRequest): AuditScope {
    if (!this.grouped) throw new Error('an audit trail without a database opens no request scopes');
    return new AuditScope(this, this.grouped.db, request);
  }

  /** Stores an event another actor sent (ITI-20) in the trail's database, not forwarded. */
  async receive(event: AuditEvent): Promise<void> {
    if (!this.grouped) throw new Error('an audit trail without a database stores no received events');
    await this.store(this.grouped.db, event, { forward: false });
  }

  /** The record of a refused authentication (no transaction ran), forwarded like every record. */
  async refusedAuthentication(failure: AuthenticationFailure): Promise<void> {
    if (!this.grouped) throw new Error('an audit trail without a database records no refusals');
    await this.store(this.grouped.db, authenticationFailureEvent(failure, this.context), { forward: true });
  }

  /** ITI-81: the stored events a search selects (the caller's scope applied by the query). */
  search(query: AuditQuery): Promise<AuditQueryResult> {
    if (!this.grouped) throw new Error('an audit trail without a database has no events to search');
    return queryAuditEvents(this.grouped.db, query);
  }

  /**
   * ITI-81 as the core serves it: the caller sees what it may (a patient-context principal only
   * the events about its own patient, whatever the query asks) and the search's own record is
   * written, by `audit`, before the events are returned.
   */
  async searchFor(principal: Principal, query: AuditQuery, audit: AuditScope): Promise<AuditQueryResult> {
    const result = await this.search(scoped(principal, query));
    await audit.succeeded();
    return result;
  }

  /**
   * ITI-81 read by id: the event if `principal` may see it (another patient's event is
   * answered exactly like an unknown one: undefined, and no success record).
   */
  async readFor(principal: Principal, id: string, audit: AuditScope): Promise<AuditEvent | undefined> {
    const { events } = await this.search(scoped(principal, { ids: [[id]], count: 1, offset: 0 }));
    if (events.length === 0) return undefined;
    await audit.succeeded();
    return events[0];
  }

  /** The outbox settings records are written with (destinations, patient ID systems): the spool replay writes with them too. */
  get outboxOptions(): OutboxOptions {
    return this.outbox;
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
    if (this.grouped && db === this.grouped.db) await this.writeShared(this.grouped, event);
    else await recordAudit(db, event, this.outbox);
    return event;
  }

  /**
   * A record for the shared database that cannot reach it (the request it records was
   * refused for the same reason) goes to the durable spool instead, so it is kept and the
   * refusal can still be answered. A caller's transaction gets no such fallback: its
   * record must commit with its change or not at all.
   */
  private async writeShared(grouped: GroupedAuditWriter, event: AuditEvent): Promise<void> {
    try {
      await grouped.write(event);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError) || !this.spool) throw err;
      await this.spool.append([event]);
    }
  }

  /** Stores an event built elsewhere (e.g. one another actor sent over ITI-20), forwarded or not. */
  async store(db: SqlExecutor, event: AuditEvent, options: { forward: boolean }): Promise<void> {
    await recordAudit(db, event, options.forward ? this.outbox : { ...this.outbox, destinations: [] });
  }
}
