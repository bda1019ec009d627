/**
 * The slice of FHIR R4 (4.0.1) this mapping reads and writes, as plain JSON shapes.
 * Every element is optional on purpose: inbound resources are untrusted JSON, so the
 * readers check presence and type themselves and report what is missing.
 */

import type { CodeableConcept, Coding, Extension, Identifier, Meta, Period, Reference } from '../../../domain/fhir-datatypes';

export type { CodeableConcept, Coding, Extension, Identifier, Meta, Period, Reference } from '../../../domain/fhir-datatypes';

export interface HumanName {
  text?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
  suffix?: string[];
}

export interface ContactPoint {
  system?: 'phone' | 'fax' | 'email' | 'pager' | 'url' | 'sms' | 'other';
  value?: string;
  use?: 'home' | 'work' | 'temp' | 'old' | 'mobile';
}

export interface Address {
  line?: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface Attachment {
  contentType?: string;
  language?: string;
  data?: string;
  url?: string;
  size?: number;
  hash?: string;
  title?: string;
  creation?: string;
}

/** Fields shared by every resource this mapping touches. */
export interface ResourceBase {
  resourceType: string;
  id?: string;
  meta?: Meta;
  extension?: Extension[];
  contained?: FhirResource[];
}

export interface Practitioner extends ResourceBase {
  resourceType: 'Practitioner';
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: ContactPoint[];
}

export interface Organization extends ResourceBase {
  resourceType: 'Organization';
  identifier?: Identifier[];
  name?: string;
  telecom?: ContactPoint[];
}

export interface PractitionerRole extends ResourceBase {
  resourceType: 'PractitionerRole';
  practitioner?: Reference;
  organization?: Reference;
  code?: CodeableConcept[];
  specialty?: CodeableConcept[];
  telecom?: ContactPoint[];
}

export interface Patient extends ResourceBase {
  resourceType: 'Patient';
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate?: string;
  address?: Address[];
}

export interface RelatedPerson extends ResourceBase {
  resourceType: 'RelatedPerson';
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: ContactPoint[];
}

export interface Device extends ResourceBase {
  resourceType: 'Device';
  identifier?: Identifier[];
  deviceName?: Array<{ name?: string; type?: string }>;
}

export interface Binary extends ResourceBase {
  resourceType: 'Binary';
  contentType?: string;
  data?: string;
}

export interface DocumentReferenceRelatesTo {
  code?: 'replaces' | 'transforms' | 'signs' | 'appends';
  target?: Reference;
}

export interface DocumentReferenceContent {
  attachment?: Attachment;
  format?: Coding;
}

export interface DocumentReferenceContext {
  encounter?: Reference[];
  event?: CodeableConcept[];
  period?: Period;
  facilityType?: CodeableConcept;
  practiceSetting?: CodeableConcept;
  sourcePatientInfo?: Reference;
  related?: Reference[];
}

export interface DocumentReference extends ResourceBase {
  resourceType: 'DocumentReference';
  masterIdentifier?: Identifier;
  identifier?: Identifier[];
  status?: 'current' | 'superseded' | 'entered-in-error';
  type?: CodeableConcept;
  category?: CodeableConcept[];
  subject?: Reference;
  date?: string;
  author?: Reference[];
  authenticator?: Reference;
  relatesTo?: DocumentReferenceRelatesTo[];
  description?: string;
  securityLabel?: CodeableConcept[];
  content?: DocumentReferenceContent[];
  context?: DocumentReferenceContext;
}

export interface ListEntry {
  item?: Reference;
}

export interface List extends ResourceBase {
  resourceType: 'List';
  identifier?: Identifier[];
  status?: 'current' | 'retired' | 'entered-in-error';
  mode?: 'working' | 'snapshot' | 'changes';
  title?: string;
  code?: CodeableConcept;
  subject?: Reference;
  date?: string;
  source?: Reference;
  note?: Array<{ text?: string }>;
  entry?: ListEntry[];
}

export interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
  request?: { method?: string; url?: string };
  response?: { status: string; location?: string; etag?: string; lastModified?: string };
}

export interface Bundle extends ResourceBase {
  resourceType: 'Bundle';
  type?: string;
  timestamp?: string;
  entry?: BundleEntry[];
}

/** Any resource met in MHD metadata; the `resourceType` discriminates. */
export type FhirResource =
  | Practitioner
  | Organization
  | PractitionerRole
  | Patient
  | RelatedPerson
  | Device
  | Binary
  | DocumentReference
  | List
  | Bundle
  | (ResourceBase & Record<string, unknown>);

/** Resources that can stand for an XDS author or recipient. */
export type PartyResource = Practitioner | PractitionerRole | Organization | Patient | RelatedPerson | Device;
