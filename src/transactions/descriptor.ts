/**
 * The shape of a transaction descriptor: everything about one IHE transaction that more than
 * one layer needs, in one object (as IPF keeps one configuration object per transaction).
 * A descriptor is data: the front end that serves it pairs it with its handler (see index.ts).
 */
import type { Access } from './access';

/**
 * The kind of exchange, from which the audit layer derives the DICOM event type and action
 * for the side that records it (audit/transactions.ts):
 * - push: documents or metadata travel from the requester to the responder (Import at the responder)
 * - pull: documents travel back to the requester (Export at the responder)
 * - query: a search (Query, Execute on both sides)
 * - update: metadata lifecycle change (Import/Export with Update)
 * - remove: deletion of registry or repository objects (Patient Record, Delete)
 * - patient: patient identity feed (Patient Record)
 */
export type ExchangeKind = 'push' | 'pull' | 'query' | 'update' | 'remove' | 'patient';

/** The Czech HIE guide's audit event types (https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs). */
export type AtcCode = 'ATC_DOC_CREATE' | 'ATC_DOC_READ' | 'ATC_DOC_UPDATE' | 'ATC_DOC_DELETE' | 'ATC_DOC_SEARCH' | 'ATC_LOG_READ';

/** FHIR RESTful interactions (http://hl7.org/fhir/restful-interaction) that IHE BALP audits. */
export type RestInteraction = 'search-type' | 'read' | 'create' | 'update';

/** How the transaction's audit record looks (ITI TF-2 "Security Considerations", MHD's AuditEvent profiles). */
export interface AuditShape {
  kind: ExchangeKind;
  /** The Czech guide's event type, when the transaction is one of its document or log events. */
  atc?: AtcCode;
  /**
   * Set for the RESTful transactions whose FHIR AuditEvent follows IHE BALP (MHD ITI-66/67/68,
   * PIXm ITI-104): its type is audit-event-type#rest and this is the interaction of its main
   * route (a read by id is noted per request; a conditional update that created is a create).
   */
  rest?: RestInteraction;
}

/** registry, repository: /xds/…; responding-gateway, initiating-gateway: /xca/…. */
export type SoapEndpointName = 'registry' | 'repository' | 'responding-gateway' | 'initiating-gateway';

/** The SOAP binding (XDS.b, XCA): which endpoint serves it and its WS-Addressing actions. */
export interface SoapBinding {
  endpoint: SoapEndpointName;
  /**
   * Further endpoints serving the same transaction with the same actions and access: the XCA
   * Initiating Gateway answers this community's consumers' ITI-18 and ITI-43 with the other
   * communities' results added.
   */
  alsoOn?: readonly SoapEndpointName[];
  request: string;
  /** The reply action: the request action with "Response" appended for every one of them, spelled out anyway so a search for either URI finds it. */
  response: string;
  access: readonly Access[];
  /** The handler reads the whole MTOM body itself: documents stream into storage (ITI-41). */
  streamsAttachments?: boolean;
}

/** One FHIR interaction of the transaction under the FHIR base. */
export interface FhirRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below the FHIR base, as @koa/router writes it ('/' is the base itself). */
  path: string;
  /** The name of the front end's handler for this route (fhir/routes.ts). */
  handler: string;
  access: readonly Access[];
  /** false: not an audited interaction of the transaction (a plain FHIR read beside it). */
  audited?: false;
}

export interface TransactionDescriptor {
  /** ITI-xx */
  id: string;
  /** The IHE name, also the audit record's subtype display. */
  name: string;
  /** Absent: requests are not audited as this transaction. */
  audit?: AuditShape;
  soap?: SoapBinding;
  fhir?: readonly FhirRoute[];
}
