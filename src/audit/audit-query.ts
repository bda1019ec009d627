/**
 * ITI-81 Retrieve ATNA Audit Event: the criteria of one search. Every criterion is a list of
 * groups: groups AND together (a repeated parameter), the values inside a group OR (a comma
 * list). The store runs it (AuditEventStore.search, audit/ports.ts).
 */
import type { AuditEvent } from './fhir-audit-event';

export type Groups = ReadonlyArray<readonly string[]>;

export interface AuditQuery {
  /** Inclusive lower / exclusive upper bound of `recorded` (ISO instants). */
  from?: string;
  to?: string;
  ids?: Groups;
  /** XDS CX (the patient_id column). */
  patient?: Groups;
  /** Tokens: `system|code`, `|code` (no system) or `code` (any system). */
  type?: Groups;
  subtype?: Groups;
  entityType?: Groups;
  entityRole?: Groups;
  outcome?: Groups;
  /** agent.who, entity.what, source.observer: a reference or an identifier value. */
  agent?: Groups;
  entity?: Groups;
  source?: Groups;
  address?: Groups;
  altid?: Groups;
  /** Set for a patient-context principal: only events about this patient (CX). */
  scopePatientId?: string;
  count: number;
  offset: number;
}

export interface AuditQueryResult {
  total: number;
  events: AuditEvent[];
}
