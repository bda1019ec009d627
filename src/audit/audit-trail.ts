/**
 * The audit trail: built once from configuration, it turns an AuditInput into an
 * AuditEvent and into rows for the outbox. Requests are audited through the scope it opens
 * (audit-scope.ts): the core puts a change's rows into the change's statement and records a
 * read before it is answered.
 */
import { StoreUnavailableError } from '../domain/store-unavailable';
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import type { AuditContext, AuditInput } from './audit-input';
import type { AuditSpool } from './audit-spool';
import { buildAuditEvent } from './build-audit-event';
import type { AuditEvent } from './fhir-audit-event';
import { GroupedAuditWriter } from './grouped-audit-writer';
import { auditRecords, type OutboxOptions } from './outbox';
import type { AuditEventStore } from './ports';
import { AuditScope, type AuditRequest } from './audit-scope';
import type { AuthenticationFailure } from '../security/authentication-failure';
import { authenticationFailureEvent } from './authentication-event';
import type { AuditQuery, AuditQueryResult } from './audit-query';
import type { Principal } from '../domain/principal';

/** A query limited to what `principal` may read: a patient-context caller reads only its own patient's trail. */
function scoped(principal: Principal, query: AuditQuery): AuditQuery {
  const { scopePatientId: _asked, ...rest } = query;
  return principal.patientId !== undefined ? { ...rest, scopePatientId: principal.patientId } : rest;
}

export class AuditTrail {
  private readonly outbox: OutboxOptions;
  private readonly grouped: GroupedAuditWriter;

  constructor(
    readonly context: AuditContext,
    /** Destination names every new event is queued for. */
    readonly destinations: readonly string[],
    /** The gateway's audit store: records written to it on their own are grouped into shared commits. */
    private readonly store: AuditEventStore,
    /** Where records for that store go while it is unreachable (audit-spool.ts). */
    private readonly spool?: AuditSpool,
  ) {
    this.outbox = { destinations, patientIdSystems: context.patientIdSystems };
    this.grouped = new GroupedAuditWriter(store);
  }

  /** The audit of one request; its records written on their own go to the trail's store. */
  scope(request: AuditRequest): AuditScope {
    return new AuditScope(this, request);
  }

  /** Stores an event another actor sent (ITI-20), not forwarded. */
  async receive(event: AuditEvent): Promise<void> {
    await this.store.write(auditRecords(event, { ...this.outbox, destinations: [] }));
  }

  /** The record of a refused authentication (no transaction ran), forwarded like every record. */
  async refusedAuthentication(failure: AuthenticationFailure): Promise<void> {
    await this.store.write(auditRecords(authenticationFailureEvent(failure, this.context), this.outbox));
  }

  /** ITI-81: the stored events a search selects (the caller's scope applied by the query). */
  search(query: AuditQuery): Promise<AuditQueryResult> {
    return this.store.search(query);
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
  rows(inputs: AuditInput | readonly AuditInput[]): StoreRows[] {
    const list: readonly AuditInput[] = Array.isArray(inputs) ? inputs : [inputs as AuditInput];
    return this.store.rows(auditRecords(list.map((i) => this.event(i)), this.outbox));
  }

  /** Writes the event now, inside `tx` (a change's transaction) or on its own, and returns it. */
  async record(input: AuditInput, tx?: StoreTransaction): Promise<AuditEvent> {
    const event = this.event(input);
    // A caller's transaction must hold its own record; records on their own can be grouped.
    if (tx) await this.store.write(auditRecords(event, this.outbox), tx);
    else await this.writeShared(event);
    return event;
  }

  /**
   * A record on its own that cannot reach the store (the request it records was refused
   * for the same reason) goes to the durable spool instead, so it is kept and the refusal
   * can still be answered. A caller's transaction gets no such fallback: its record must
   * commit with its change or not at all.
   */
  private async writeShared(event: AuditEvent): Promise<void> {
    try {
      await this.grouped.write(auditRecords(event, this.outbox));
    } catch (err) {
      if (!(err instanceof StoreUnavailableError) || !this.spool) throw err;
      await this.spool.append([event]);
    }
  }
}
