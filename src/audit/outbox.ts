/**
 * What an audit record is stored as: the event, the patient it is about (the registry's CX,
 * so a patient-context caller's scope compares the same string) and one outbox record per
 * configured Audit Record Repository. Nothing enqueues a job: the forwarder polls the outbox,
 * so a record exists for forwarding exactly when it has committed.
 */
import { EntityRole } from './codes';
import type { AuditEvent } from './fhir-audit-event';
import { patientIdOf, type PatientIdSystems } from './patient-identifier';
import type { AuditRecord } from './ports';

export interface OutboxOptions {
  /** Names of the destinations the events go to (none: stored, not forwarded). */
  destinations: readonly string[];
  /** To store the patient as the registry's CX when the event names it by a system URI. */
  patientIdSystems?: PatientIdSystems;
}

function patientOf(event: AuditEvent, systems: PatientIdSystems): string | null {
  const identifier = event.entity?.find((e) => e.role?.code === EntityRole.Patient.code && e.role.system === EntityRole.Patient.system)?.what?.identifier;
  return identifier ? patientIdOf(identifier, systems) : null;
}

export function auditRecords(events: AuditEvent | readonly AuditEvent[], options: OutboxOptions): AuditRecord[] {
  const list: readonly AuditEvent[] = Array.isArray(events) ? events : [events as AuditEvent];
  const systems = options.patientIdSystems ?? {};
  return list.map((event) => ({ event, patientId: patientOf(event, systems), destinations: options.destinations }));
}
