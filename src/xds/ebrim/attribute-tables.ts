/**
 * Where each domain attribute lives in ebRIM, per object kind: which Slot, which coded
 * Classification, which ExternalIdentifier. The reader and the writer both walk these tables,
 * so an attribute is spelled once and cannot be read one way and written another.
 *
 * Attributes that are XML attributes or single elements of the ebRIM object (entryUUID = id,
 * logicalID = lid, availabilityStatus = status, homeCommunityId = home, version, mimeType,
 * objectType, title = Name, comments = Description, association ends) are handled by the
 * reader and writer directly: each is one line there and has no ebRIM variants to share.
 */
import { AvailabilityStatus, type Association, type DocumentEntry, type Folder, type ObjectKind, type SubmissionSet } from '../../domain/metadata';
import { DocumentAvailability, DocumentEntryUuid, FolderUuid, SlotName, SubmissionSetUuid } from './constants';
import { integer, oneOf, text, textList, yesNo, type ValueType } from './value-types';

export interface SlotAttribute<T> {
  field: keyof T & string;
  slot: string;
  type: ValueType<unknown>;
  /** A list attribute the domain always carries: absent reads as []; [] is written as no slot. */
  alwaysPresent?: boolean;
}

export interface CodeAttribute<T> {
  field: keyof T & string;
  /** Attribute name used in messages (as ITI TF-3 names it). */
  name: string;
  classificationScheme: string;
  /** A list of codes (Code[]) rather than at most one. Lists are always present in the domain. */
  multiple: boolean;
}

export interface IdentifierAttribute<T> {
  field: keyof T & string;
  identificationScheme: string;
  /** The ExternalIdentifier's Name, which IHE fixes (e.g. XDSDocumentEntry.uniqueId). */
  name: string;
  /** Metadata-Limited objects may leave patientId out (ITI TF-3 Table 4.3.1-3, R2 there). */
  optionalWhenLimited?: boolean;
}

export interface KindTable<T> {
  slots: readonly SlotAttribute<T>[];
  codes: readonly CodeAttribute<T>[];
  identifiers: readonly IdentifierAttribute<T>[];
  /** Classification scheme of the author classifications, for kinds that have authors. */
  authorScheme?: string;
  limitedMetadataNode?: string;
}

const STATUSES = Object.values(AvailabilityStatus);

const documentEntry: KindTable<DocumentEntry> = {
  slots: [
    { field: 'creationTime', slot: SlotName.creationTime, type: text },
    { field: 'serviceStartTime', slot: SlotName.serviceStartTime, type: text },
    { field: 'serviceStopTime', slot: SlotName.serviceStopTime, type: text },
    { field: 'hash', slot: SlotName.hash, type: text },
    { field: 'size', slot: SlotName.size, type: integer },
    { field: 'repositoryUniqueId', slot: SlotName.repositoryUniqueId, type: text },
    { field: 'uri', slot: SlotName.uri, type: text },
    { field: 'languageCode', slot: SlotName.languageCode, type: text },
    { field: 'legalAuthenticator', slot: SlotName.legalAuthenticator, type: text },
    { field: 'sourcePatientId', slot: SlotName.sourcePatientId, type: text },
    { field: 'sourcePatientInfo', slot: SlotName.sourcePatientInfo, type: textList },
    { field: 'referenceIds', slot: SlotName.referenceIdList, type: textList, alwaysPresent: true },
    { field: 'documentAvailability', slot: SlotName.documentAvailability, type: oneOf(Object.values(DocumentAvailability)) },
  ],
  codes: [
    { field: 'classCode', name: 'classCode', classificationScheme: DocumentEntryUuid.classCode, multiple: false },
    { field: 'typeCode', name: 'typeCode', classificationScheme: DocumentEntryUuid.typeCode, multiple: false },
    { field: 'formatCode', name: 'formatCode', classificationScheme: DocumentEntryUuid.formatCode, multiple: false },
    { field: 'healthcareFacilityTypeCode', name: 'healthcareFacilityTypeCode', classificationScheme: DocumentEntryUuid.healthcareFacilityTypeCode, multiple: false },
    { field: 'practiceSettingCode', name: 'practiceSettingCode', classificationScheme: DocumentEntryUuid.practiceSettingCode, multiple: false },
    { field: 'confidentialityCodes', name: 'confidentialityCode', classificationScheme: DocumentEntryUuid.confidentialityCode, multiple: true },
    { field: 'eventCodes', name: 'eventCodeList', classificationScheme: DocumentEntryUuid.eventCodeList, multiple: true },
  ],
  identifiers: [
    { field: 'uniqueId', identificationScheme: DocumentEntryUuid.uniqueId, name: 'XDSDocumentEntry.uniqueId' },
    { field: 'patientId', identificationScheme: DocumentEntryUuid.patientId, name: 'XDSDocumentEntry.patientId', optionalWhenLimited: true },
  ],
  authorScheme: DocumentEntryUuid.author,
  limitedMetadataNode: DocumentEntryUuid.limitedMetadata,
};

const submissionSet: KindTable<SubmissionSet> = {
  slots: [
    { field: 'submissionTime', slot: SlotName.submissionTime, type: text },
    { field: 'intendedRecipients', slot: SlotName.intendedRecipient, type: textList, alwaysPresent: true },
  ],
  codes: [{ field: 'contentTypeCode', name: 'contentTypeCode', classificationScheme: SubmissionSetUuid.contentTypeCode, multiple: false }],
  identifiers: [
    { field: 'uniqueId', identificationScheme: SubmissionSetUuid.uniqueId, name: 'XDSSubmissionSet.uniqueId' },
    { field: 'sourceId', identificationScheme: SubmissionSetUuid.sourceId, name: 'XDSSubmissionSet.sourceId' },
    { field: 'patientId', identificationScheme: SubmissionSetUuid.patientId, name: 'XDSSubmissionSet.patientId', optionalWhenLimited: true },
  ],
  authorScheme: SubmissionSetUuid.author,
  limitedMetadataNode: SubmissionSetUuid.limitedMetadata,
};

const folder: KindTable<Folder> = {
  slots: [{ field: 'lastUpdateTime', slot: SlotName.lastUpdateTime, type: text }],
  codes: [{ field: 'codes', name: 'codeList', classificationScheme: FolderUuid.codeList, multiple: true }],
  identifiers: [
    { field: 'uniqueId', identificationScheme: FolderUuid.uniqueId, name: 'XDSFolder.uniqueId' },
    { field: 'patientId', identificationScheme: FolderUuid.patientId, name: 'XDSFolder.patientId', optionalWhenLimited: true },
  ],
  limitedMetadataNode: FolderUuid.limitedMetadata,
};

const association: KindTable<Association> = {
  slots: [
    { field: 'submissionSetStatus', slot: SlotName.submissionSetStatus, type: oneOf(['Original', 'Reference']) },
    { field: 'previousVersion', slot: SlotName.previousVersion, type: integer },
    { field: 'associationPropagation', slot: SlotName.associationPropagation, type: yesNo },
    { field: 'originalStatus', slot: SlotName.originalStatus, type: oneOf(STATUSES) },
    { field: 'newStatus', slot: SlotName.newStatus, type: oneOf(STATUSES) },
  ],
  codes: [],
  identifiers: [],
};

export const KIND_TABLES: { readonly [K in ObjectKind]: KindTable<KindFields[K]> } = {
  DocumentEntry: documentEntry,
  SubmissionSet: submissionSet,
  Folder: folder,
  Association: association,
};

/** An object's attributes by field name: how the generic reader and writer see every kind. */
export type Fields = Record<string, unknown>;

/** The table of a kind, seen by field name (the tables are typed per kind where they are written). */
export function tableFor(kind: ObjectKind): KindTable<Fields> {
  return KIND_TABLES[kind] as unknown as KindTable<Fields>;
}

export interface KindFields {
  DocumentEntry: DocumentEntry;
  SubmissionSet: SubmissionSet;
  Folder: Folder;
  Association: Association;
}

/** The author classification's slots, and the Author field each fills. */
export const AUTHOR_LIST_SLOTS = [
  { field: 'institutions', slot: SlotName.authorInstitution },
  { field: 'roles', slot: SlotName.authorRole },
  { field: 'specialties', slot: SlotName.authorSpecialty },
  { field: 'telecommunications', slot: SlotName.authorTelecommunication },
] as const;
