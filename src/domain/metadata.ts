/**
 * The XDS metadata model (ITI TF-3 4.2.3): DocumentEntry, SubmissionSet, Folder and
 * Association, independent of how a front end spells them (ebRIM or FHIR).
 * HL7 v2 data types (CX, XCN, XON, XTN) are kept in their XDS string form; helpers in
 * hl7v2.ts parse them where a rule needs a component.
 */

export const AvailabilityStatus = {
  Approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  Deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  Submitted: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted',
} as const;
export type AvailabilityStatus = (typeof AvailabilityStatus)[keyof typeof AvailabilityStatus];

export const DocumentEntryType = {
  Stable: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  OnDemand: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248',
} as const;
export type DocumentEntryType = (typeof DocumentEntryType)[keyof typeof DocumentEntryType];

export const AssociationType = {
  HasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  Replace: 'urn:ihe:iti:2007:AssociationType:RPLC',
  Transform: 'urn:ihe:iti:2007:AssociationType:XFRM',
  Append: 'urn:ihe:iti:2007:AssociationType:APND',
  TransformReplace: 'urn:ihe:iti:2007:AssociationType:XFRM_RPLC',
  Signs: 'urn:ihe:iti:2007:AssociationType:signs',
  IsSnapshotOf: 'urn:ihe:iti:2010:AssociationType:IsSnapshotOf',
  /** ITI-57: links a new metadata version to the previous one. */
  UpdateAvailabilityStatus: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
} as const;
export type AssociationType = (typeof AssociationType)[keyof typeof AssociationType];

/** Document relationship associations (ITI TF-3 4.2.2): source is the new document, target the original. */
export const RELATIONSHIP_TYPES: ReadonlySet<string> = new Set<string>([
  AssociationType.Replace,
  AssociationType.Transform,
  AssociationType.Append,
  AssociationType.TransformReplace,
  AssociationType.Signs,
  AssociationType.IsSnapshotOf,
]);

/** Relationships that deprecate their target when registered. */
export const REPLACING_TYPES: ReadonlySet<string> = new Set<string>([
  AssociationType.Replace,
  AssociationType.TransformReplace,
]);

export type ObjectKind = 'DocumentEntry' | 'SubmissionSet' | 'Folder' | 'Association';

/** A coded value: code, coding scheme (XDS codingScheme / FHIR system) and display name. */
export interface Code {
  code: string;
  scheme: string;
  display?: string;
}

export interface Author {
  /** XCN, e.g. `^Novák^Jan^^^MUDr.` or `12345^Novák^Jan^^^^^^&1.2.3&ISO`. */
  person?: string;
  /** XON list. */
  institutions: string[];
  roles: string[];
  specialties: string[];
  /** XTN list. */
  telecommunications: string[];
}

/** Attributes every registry object carries. */
export interface RegistryObjectBase {
  /** entryUUID: `urn:uuid:...` once registered; a symbolic id inside a submission. */
  entryUuid: string;
  /** logicalID (metadata versioning, ITI-57); equals entryUuid for version 1. */
  logicalId?: string;
  version?: number;
  availabilityStatus?: AvailabilityStatus;
  homeCommunityId?: string;
  /** Extra slots the model does not name, kept so a round trip loses nothing. */
  extraSlots?: Record<string, string[]>;
}

export interface DocumentEntry extends RegistryObjectBase {
  uniqueId: string;
  objectType: DocumentEntryType;
  /** CX, e.g. `7608139876^^^&1.2.203.24341.1.1&ISO`. */
  patientId: string;
  sourcePatientId?: string;
  sourcePatientInfo?: string[];
  mimeType: string;
  title?: string;
  comments?: string;
  authors: Author[];
  classCode?: Code;
  typeCode?: Code;
  formatCode?: Code;
  healthcareFacilityTypeCode?: Code;
  practiceSettingCode?: Code;
  confidentialityCodes: Code[];
  eventCodes: Code[];
  languageCode?: string;
  legalAuthenticator?: string;
  creationTime?: string;
  serviceStartTime?: string;
  serviceStopTime?: string;
  hash?: string;
  size?: number;
  repositoryUniqueId?: string;
  uri?: string;
  /** CXi list. */
  referenceIds: string[];
  limitedMetadata?: boolean;
  documentAvailability?: 'urn:ihe:iti:2010:DocumentAvailability:Online' | 'urn:ihe:iti:2010:DocumentAvailability:Offline';
}

export interface SubmissionSet extends RegistryObjectBase {
  uniqueId: string;
  sourceId: string;
  patientId: string;
  submissionTime: string;
  contentTypeCode?: Code;
  title?: string;
  comments?: string;
  authors: Author[];
  /** XON|XCN|XTN list. */
  intendedRecipients: string[];
  limitedMetadata?: boolean;
}

export interface Folder extends RegistryObjectBase {
  uniqueId: string;
  patientId: string;
  codes: Code[];
  title?: string;
  comments?: string;
  lastUpdateTime?: string;
  limitedMetadata?: boolean;
}

export interface Association extends RegistryObjectBase {
  type: AssociationType | string;
  sourceId: string;
  targetId: string;
  /** HasMember from a SubmissionSet: whether the target is new (Original) or already registered (Reference). */
  submissionSetStatus?: 'Original' | 'Reference';
  /** ITI-57 UpdateAvailabilityStatus: the status change it requests. */
  originalStatus?: AvailabilityStatus;
  newStatus?: AvailabilityStatus;
  /** ITI-57 HasMember to a new version: the version it replaces. */
  previousVersion?: number;
  /** ITI-57: `no` stops the registry applying the replacement's side effects (folders, deprecation). */
  associationPropagation?: boolean;
}

export type RegistryObject =
  | ({ kind: 'DocumentEntry' } & DocumentEntry)
  | ({ kind: 'SubmissionSet' } & SubmissionSet)
  | ({ kind: 'Folder' } & Folder)
  | ({ kind: 'Association' } & Association);
