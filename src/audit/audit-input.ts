/**
 * What a front end tells the audit layer about one transaction. Everything else
 * (DICOM codes, agents for the gateway, the Czech event type) is derived, so each
 * front end makes one call with the facts it has and nothing IHE-specific to get wrong.
 */
import type { Code } from '../domain/metadata';
import type { RestInteraction } from '../transactions';
import type { Principal } from '../domain/principal';
import type { AtcCode } from './codes';
import type { AuditAction, AuditEventEntity, AuditOutcome } from './fhir-audit-event';
import type { AuditSide, AuditTransaction } from './transactions';

export interface AuditDocument {
  /** XDSDocumentEntry.uniqueId (an OID, OID^extension or URI). */
  uniqueId?: string;
  /** entryUUID, for objects known only by it (ITI-62 removals) or in addition to the uniqueId. */
  entryUuid?: string;
  repositoryUniqueId?: string;
  homeCommunityId?: string;
  title?: string;
  typeCode?: Code;
  /** FHIR reference (DocumentReference/…, a Binary URL) when the front end has one. */
  reference?: string;
}

export interface AuditSubmissionSet {
  uniqueId: string;
  entryUuid?: string;
}

/** The query an audited transaction ran (ITI-18/38/67 search), as its audit record names it; ITI-81 searches of the records are audit-query.ts AuditQuery. */
export interface AuditedQuery {
  /** The query as received: the FHIR search string, or the AdhocQueryRequest / XCPD message. */
  text: string;
  /** Stored query id (urn:uuid:…) for ITI-18/38. */
  storedQueryId?: string;
  homeCommunityId?: string;
}

export interface AuditRemote {
  /** The other actor's endpoint URL (or its identity when it has no URL). */
  endpoint: string;
  /** Its host name or IP address. */
  address?: string;
  /** The community it serves, when it is another community's gateway or MHD server. */
  homeCommunityId?: string;
  /** ISO 3166 alpha-2 code of the country it is the National Contact Point of (eHDSI). */
  country?: string;
}

export interface AuditInput {
  transaction: AuditTransaction;
  /** Default 'served' (this gateway answered). */
  side?: AuditSide;
  /** Defaults per transaction and side (e.g. ITI-65 served = C, ITI-68 served = R). */
  action?: AuditAction;
  outcome: AuditOutcome;
  /** Why it failed, for failures (the error text returned to the caller). */
  outcomeDesc?: string;
  principal: Principal;
  /** The patient as an XDS CX (`id^^^&OID&ISO`). */
  patientId?: string;
  documents?: readonly AuditDocument[];
  submissionSet?: AuditSubmissionSet;
  query?: AuditedQuery;
  /** The RESTful interaction, where it is not the transaction's main one (a read by id of ITI-66/67). */
  interaction?: RestInteraction;
  /** The FHIR resource a RESTful read, create or update touched (`DocumentReference/…`, `Patient/…`). */
  resource?: string;
  /** This gateway's endpoint that served the request (e.g. https://gw.example/fhir). */
  endpoint?: string;
  /** The other actor, for transactions this gateway initiated. */
  remote?: AuditRemote;
  /** Other communities a served request was answered from (MHD routed by homeCommunityId): participants of the event. */
  communities?: readonly AuditRemote[];
  /** W3C traceparent of the request, recorded as in the Czech ITI-65 audit profile. */
  traceparent?: string;
  /** Overrides the Czech event type derived from the transaction; null leaves it out. */
  czEventType?: AtcCode | null;
  /** Default: now. */
  recorded?: Date;
  /** Further entities, appended as given. */
  entities?: readonly AuditEventEntity[];
}

/** Who and where this gateway is, for the source and the gateway's own agent. Set once from config. */
export interface AuditContext {
  /** AuditSourceID / source.observer: the system recording the events. */
  sourceId: string;
  /** AuditEnterpriseSiteID / source.site (the Czech guide wants the OID of the audit source). */
  enterpriseSiteId: string;
  /** This gateway's host name, as its agent's network address. */
  hostname: string;
  /** FHIR identifier system URI -> assigning authority OID (the affinity profile's patientIdSystems). */
  patientIdSystems: Readonly<Record<string, string>>;
}

export const Outcome = {
  Success: '0',
  MinorFailure: '4',
  SeriousFailure: '8',
  MajorFailure: '12',
} as const satisfies Record<string, AuditOutcome>;

/** XDS response status -> outcome: a partial success is a minor failure, a Failure a serious one. */
export function outcomeOfXdsStatus(status: 'Success' | 'PartialSuccess' | 'Failure'): AuditOutcome {
  return status === 'Success' ? Outcome.Success : status === 'PartialSuccess' ? Outcome.MinorFailure : Outcome.SeriousFailure;
}

/** HTTP status -> outcome: refused requests (4xx) are minor failures, server errors serious ones. */
export function outcomeOfHttpStatus(status: number): AuditOutcome {
  if (status < 400) return Outcome.Success;
  return status < 500 ? Outcome.MinorFailure : Outcome.SeriousFailure;
}
