/**
 * Writing audit records: the event row plus one outbox row per configured Audit Record
 * Repository. auditRows() returns them as TableRows so a change and its audit record
 * commit in one statement (registry extraRows); recordAudit() writes them on their own,
 * awaited before a read's response goes out. Neither enqueues a job: the forwarder polls
 * the outbox, so a record exists for forwarding exactly when its row has committed.
 */
import type { SqlExecutor } from '../store/sql/database';
import { insertTables, type TableRows } from '../store/sql/table-rows';
import { EntityRole } from './codes';
import type { AuditEvent, Coding } from './fhir-audit-event';
import { patientIdOf, type PatientIdSystems } from './patient-identifier';

export interface OutboxOptions {
  /** Names of the destinations the events go to (none: stored, not forwarded). */
  destinations: readonly string[];
  /** To store the patient as the registry's CX when the event names it by a system URI. */
  patientIdSystems?: PatientIdSystems;
}

const EVENT_COLUMNS = {
  id: 'text',
  recorded: 'timestamptz',
  patient_id: 'text',
  type_code: 'text',
  subtypes: 'text[]',
  action: 'text',
  outcome: 'text',
  resource: 'jsonb',
} as const;

const OUTBOX_COLUMNS = { event_id: 'text', destination: 'text' } as const;

const token = (c: Coding) => `${c.system ?? ''}|${c.code}`;

function patientOf(event: AuditEvent, systems: PatientIdSystems): string | null {
  const identifier = event.entity?.find((e) => e.role?.code === EntityRole.Patient.code && e.role.system === EntityRole.Patient.system)?.what?.identifier;
  return identifier ? patientIdOf(identifier, systems) : null;
}

function eventRow(event: AuditEvent, systems: PatientIdSystems): Record<string, unknown> {
  return {
    id: event.id,
    recorded: event.recorded,
    patient_id: patientOf(event, systems),
    type_code: token(event.type),
    subtypes: (event.subtype ?? []).flatMap((s) => [s.code, token(s)]),
    action: event.action ?? null,
    outcome: event.outcome ?? '0',
    resource: event,
  };
}

export function auditRows(events: AuditEvent | readonly AuditEvent[], options: OutboxOptions): TableRows[] {
  const list: readonly AuditEvent[] = Array.isArray(events) ? events : [events as AuditEvent];
  const systems = options.patientIdSystems ?? {};
  return [
    { table: 'audit_events', columns: EVENT_COLUMNS, rows: list.map((e) => eventRow(e, systems)) },
    { table: 'audit_outbox', columns: OUTBOX_COLUMNS, rows: list.flatMap((e) => options.destinations.map((destination) => ({ event_id: e.id, destination }))) },
  ];
}

/** One statement, so the event and its outbox rows commit together (or inside the caller's transaction). */
export function recordAudit(db: SqlExecutor, events: AuditEvent | readonly AuditEvent[], options: OutboxOptions): Promise<void> {
  return insertTables(db, auditRows(events, options));
}
