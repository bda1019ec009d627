/**
 * The FHIR R4 AuditEvent shape this gateway writes (and the DICOM converter reads).
 * Only the elements the audit layer uses; every one is plain JSON so an event can be
 * stored as JSONB, sent to a FHIR Audit Record Repository and read back unchanged.
 */

import type { CodeableConcept, Coding, Reference } from '../domain/fhir-datatypes';

export type { CodeableConcept, Coding, Identifier, Reference } from '../domain/fhir-datatypes';

/** AuditEvent.outcome (R4): success, minor failure, serious failure, major failure. */
export type AuditOutcome = '0' | '4' | '8' | '12';

/** AuditEvent.action (R4): create, read, update, delete, execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** AuditEvent.agent.network.type: 1 machine name, 2 IP address, 5 URI. */
export type NetworkType = '1' | '2' | '3' | '4' | '5';

export interface AuditEventAgent {
  type?: CodeableConcept;
  role?: CodeableConcept[];
  who?: Reference;
  altId?: string;
  name?: string;
  requestor: boolean;
  network?: { address: string; type: NetworkType };
  purposeOfUse?: CodeableConcept[];
}

export interface AuditEventSource {
  /** The enterprise site (AuditEnterpriseSiteID). */
  site?: string;
  /** The system that recorded the event (AuditSourceID). */
  observer: Reference;
  type?: Coding[];
}

export interface AuditEventEntityDetail {
  type: string;
  valueString?: string;
  valueBase64Binary?: string;
}

export interface AuditEventEntity {
  what?: Reference;
  type?: Coding;
  role?: Coding;
  lifecycle?: Coding;
  name?: string;
  description?: string;
  /** Base64 of the query as the requester sent it. */
  query?: string;
  detail?: AuditEventEntityDetail[];
}

// A type alias, not an interface, so a FHIR Bundle (the ITI-81 searchset) takes it as any other resource.
export type AuditEvent = {
  resourceType: 'AuditEvent';
  id: string;
  /** The IHE audit profiles the event conforms to (profiles.ts). */
  meta?: { profile: string[] };
  type: Coding;
  subtype?: Coding[];
  action?: AuditAction;
  recorded: string;
  outcome?: AuditOutcome;
  outcomeDesc?: string;
  purposeOfEvent?: CodeableConcept[];
  agent: AuditEventAgent[];
  source: AuditEventSource;
  entity?: AuditEventEntity[];
};
