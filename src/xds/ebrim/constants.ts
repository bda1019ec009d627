/**
 * The identifiers XDS gives its metadata in ebRIM 3.0 (ITI TF-3 4.2.5 "Metadata UUIDs", 4.2.3
 * attribute tables, 4.2.2 associations). ebRIM says nothing about documents: IHE encodes every
 * attribute as a Classification, ExternalIdentifier or Slot, told apart only by these UUIDs and
 * names, so they are kept together here and named after the attribute they carry.
 *
 * Checked against several independent implementations (IPF, NIST XDS toolkit, XdsKit, openxds
 * schema data) and the IHE examples; the DocumentEntry objectType UUIDs live in
 * domain/metadata.ts because the domain model stores them as they are.
 */
import { DocumentEntryType } from '../../domain/metadata';

/** ebRIM 3.0 namespace: every element this codec reads or writes is in it. */
export const RIM_NS = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
/** Prefix used when writing; reading never relies on prefixes. */
export const RIM_PREFIX = 'rim';

/** ebRIM objectType URNs of the object classes IHE uses (written on output, not required on input). */
export const RimObjectType = {
  Classification: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  ExternalIdentifier: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
  RegistryPackage: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  Association: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
} as const;

/** ExtrinsicObject/@objectType of a stable and an on-demand DocumentEntry. */
export const DOCUMENT_ENTRY_OBJECT_TYPES: ReadonlySet<string> = new Set<string>([DocumentEntryType.Stable, DocumentEntryType.OnDemand]);

/** XDSDocumentEntry classification schemes, external identifier schemes and classification node. */
export const DocumentEntryUuid = {
  author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  /** classificationNode marking an entry made under the Metadata-Limited rules. */
  limitedMetadata: 'urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85',
} as const;

/** XDSSubmissionSet: the RegistryPackage classification node and its attribute schemes. */
export const SubmissionSetUuid = {
  classificationNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  limitedMetadata: 'urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707',
} as const;

/** XDSFolder: the RegistryPackage classification node and its attribute schemes. */
export const FolderUuid = {
  classificationNode: 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2',
  codeList: 'urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5',
  patientId: 'urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a',
  uniqueId: 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a',
  limitedMetadata: 'urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03',
} as const;

/** Slot names (ITI TF-3 4.2.3.2-4.2.3.4, 4.2.2; Metadata Update for the association slots). */
export const SlotName = {
  // DocumentEntry
  creationTime: 'creationTime',
  serviceStartTime: 'serviceStartTime',
  serviceStopTime: 'serviceStopTime',
  hash: 'hash',
  size: 'size',
  repositoryUniqueId: 'repositoryUniqueId',
  uri: 'URI',
  languageCode: 'languageCode',
  legalAuthenticator: 'legalAuthenticator',
  sourcePatientId: 'sourcePatientId',
  sourcePatientInfo: 'sourcePatientInfo',
  referenceIdList: 'urn:ihe:iti:xds:2013:referenceIdList',
  documentAvailability: 'documentAvailability',
  // SubmissionSet
  submissionTime: 'submissionTime',
  intendedRecipient: 'intendedRecipient',
  // Folder
  lastUpdateTime: 'lastUpdateTime',
  // Association
  submissionSetStatus: 'SubmissionSetStatus',
  previousVersion: 'PreviousVersion',
  associationPropagation: 'AssociationPropagation',
  originalStatus: 'OriginalStatus',
  newStatus: 'NewStatus',
  // Code classifications: the code's coding scheme
  codingScheme: 'codingScheme',
  // Author classifications
  authorPerson: 'authorPerson',
  authorInstitution: 'authorInstitution',
  authorRole: 'authorRole',
  authorSpecialty: 'authorSpecialty',
  authorTelecommunication: 'authorTelecommunication',
} as const;

/** DocumentEntry.documentAvailability values (absent means Online). */
export const DocumentAvailability = {
  Online: 'urn:ihe:iti:2010:DocumentAvailability:Online',
  Offline: 'urn:ihe:iti:2010:DocumentAvailability:Offline',
} as const;
