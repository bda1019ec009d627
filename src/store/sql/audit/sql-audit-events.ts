/**
 * The audit events and their outbox rows (the AuditEventStore port of audit/ports.ts) on
 * PostgreSQL or PGlite: the event row with its search columns plus one outbox row per
 * destination, always in one statement (insertTables), on their own, in a caller's
 * transaction or as extra rows of a change's statement.
 */
import type { AuditQuery, AuditQueryResult } from '../../../audit/audit-query';
import { dicomEventType } from '../../../audit/dicom-event';
import type { Coding } from '../../../audit/fhir-audit-event';
import type { AuditEventStore, AuditRecord } from '../../../audit/ports';
import type { StoreRows, StoreTransaction } from '../../../domain/store-transaction';
import type { SqlExecutor } from '../database';
import { executorOf, storeRows } from '../store-handles';
import { insertTables, type TableRows } from '../table-rows';
import { queryAuditEvents } from './audit-query-sql';

const EVENT_COLUMNS = {
  id: 'text',
  recorded: 'timestamptz',
  patient_id: 'text',
  type_code: 'text',
  dicom_type: 'text',
  subtypes: 'text[]',
  action: 'text',
  outcome: 'text',
  resource: 'jsonb',
} as const;

const OUTBOX_COLUMNS = { event_id: 'text', destination: 'text' } as const;

/** `system|code`, the form type_code and subtypes are searched by (audit-query-sql.ts). */
const token = (c: Coding) => `${c.system ?? ''}|${c.code}`;

function eventRow({ event, patientId }: AuditRecord): Record<string, unknown> {
  return {
    id: event.id,
    recorded: event.recorded,
    patient_id: patientId,
    type_code: token(event.type),
    dicom_type: token(dicomEventType(event)),
    subtypes: (event.subtype ?? []).flatMap((s) => [s.code, token(s)]),
    action: event.action ?? null,
    outcome: event.outcome ?? '0',
    resource: event,
  };
}

export function auditTables(records: readonly AuditRecord[]): TableRows[] {
  return [
    { table: 'audit_events', columns: EVENT_COLUMNS, rows: records.map(eventRow) },
    { table: 'audit_outbox', columns: OUTBOX_COLUMNS, rows: records.flatMap((r) => r.destinations.map((destination) => ({ event_id: r.event.id, destination }))) },
  ];
}

export class SqlAuditEvents implements AuditEventStore {
  constructor(private readonly sql: SqlExecutor) {}

  rows(records: readonly AuditRecord[]): StoreRows[] {
    return storeRows(auditTables(records));
  }

  write(records: readonly AuditRecord[], tx?: StoreTransaction): Promise<void> {
    return insertTables(tx ? executorOf(tx) : this.sql, auditTables(records));
  }

  async storedIds(ids: readonly string[]): Promise<Set<string>> {
    const stored = await this.sql.query<{ id: string }>('SELECT id FROM audit_events WHERE id = ANY($1::text[])', [ids]);
    return new Set(stored.rows.map((r) => r.id));
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  search(query: AuditQuery): Promise<AuditQueryResult> {
    return queryAuditEvents(this.sql, query);
  }
}
