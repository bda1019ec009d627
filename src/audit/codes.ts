/**
 * Code systems and codes of the audit trail: DICOM (PS3.16 DCM), IHE transaction codes,
 * FHIR audit-entity-type / object-role, and the Czech HIE guide's audit event types.
 */
import type { AtcCode, RestInteraction } from '../transactions';
import type { Coding } from './fhir-audit-event';

export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** IHE transaction codes (ITI-65, ITI-18, ...) as AuditEvent.subtype (DICOM "IHE Transactions"). */
export const IHE_EVENT_TYPE = 'urn:ihe:event-type-code';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
/**
 * HL7 Czech HIE guide, "CZ Audit Trail Consumption Event Types" (cz-atc-cs): the one code
 * system that holds every ATC_* code, ATC_LOG_READ included (the guide's narrower
 * cz-documentAuditEvent-type-cs repeats only the ATC_DOC_* ones).
 */
const CZ_ATC = 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs';
/** HL7 Czech HIE guide purpose of use: NORM, EMER, AUTO. */
export const CZ_PURPOSE_OF_USE = 'https://hl7.cz/fhir/hie/CodeSystem/cz-purposeOfUse-cs';

export const EventType = {
  Export: { system: DCM, code: '110106', display: 'Export' },
  Import: { system: DCM, code: '110107', display: 'Import' },
  PatientRecord: { system: DCM, code: '110110', display: 'Patient Record' },
  Query: { system: DCM, code: '110112', display: 'Query' },
  UserAuthentication: { system: DCM, code: '110114', display: 'User Authentication' },
  /** IHE BALP: the type of every RESTful event; the interaction and the IHE transaction are its subtypes. */
  Rest: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
} as const satisfies Record<string, Coding>;

export function restInteractionCoding(interaction: RestInteraction): Coding {
  return { system: RESTFUL_INTERACTION, code: interaction, display: interaction };
}

export const AgentType = {
  Source: { system: DCM, code: '110153', display: 'Source Role ID' },
  Destination: { system: DCM, code: '110152', display: 'Destination Role ID' },
  /** The user of the Czech guide's "main user" slice (BALP puts the human in here too). */
  ResponsibleParty: { system: PARTICIPATION_TYPE, code: 'RESP', display: 'responsible party' },
  Provider: { system: ROLE_CLASS, code: 'PROV', display: 'healthcare provider' },
} as const satisfies Record<string, Coding>;

export const EntityType = {
  Person: { system: ENTITY_TYPE, code: '1', display: 'Person' },
  SystemObject: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
  Other: { system: ENTITY_TYPE, code: '4', display: 'Other' },
} as const satisfies Record<string, Coding>;

export const EntityRole = {
  Patient: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  Report: { system: OBJECT_ROLE, code: '3', display: 'Report' },
  DomainResource: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
  Job: { system: OBJECT_ROLE, code: '20', display: 'Job' },
  Query: { system: OBJECT_ROLE, code: '24', display: 'Query' },
  ProcessingElement: { system: OBJECT_ROLE, code: '26', display: 'Processing Element' },
} as const satisfies Record<string, Coding>;

/** DICOM subtypes of a User Authentication event. */
export const AuthenticationSubtype = {
  Login: { system: DCM, code: '110122', display: 'Login' },
} as const satisfies Record<string, Coding>;

export const APPLICATION_SERVER: Coding = { system: SOURCE_TYPE, code: '4', display: 'Application Server' };

/** Declared with the transactions that name them (src/transactions/descriptor.ts). */
export type { AtcCode };

const ATC_DISPLAY: Record<AtcCode, string> = {
  ATC_DOC_CREATE: 'Document upload',
  ATC_DOC_READ: 'Document retrieval',
  ATC_DOC_UPDATE: 'Document or Document Metadata update',
  ATC_DOC_DELETE: 'Document removal',
  ATC_DOC_SEARCH: 'Document search',
  ATC_LOG_READ: 'Accessing the Patient Audit Record Repository',
};

export function atcCoding(code: AtcCode): Coding {
  return { system: CZ_ATC, code, display: ATC_DISPLAY[code] };
}

/** DICOM ParticipantObjectIDTypeCode of an XDS submission set (ITI TF-3 4.2.3.3 classificationNode). */
export const XDS_SUBMISSION_SET_CLASS = 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd';
