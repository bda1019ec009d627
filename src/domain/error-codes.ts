/**
 * XDS error codes: the RegistryError/@errorCode values of ITI TF-3 Table 4.2.4.1-2 "Error Codes"
 * (checked against ITI TF Rev. 19.0), plus the codes the Trial Implementation supplements and
 * MHD add to that table. The MHD front end carries the same code in
 * OperationOutcome.issue.details.coding; the SOAP front ends put it in RegistryError/@errorCode.
 *
 * Sources, by `source` in XDS_ERROR_CODES:
 * - `TF-3`: ITI TF-3 Table 4.2.4.1-2 itself.
 * - `MU`:   XDS Metadata Update supplement (Update Document Set [ITI-57], Delete Document Set [ITI-62]).
 *           Remove Metadata and Documents (RMD: Remove Metadata [ITI-62], Remove Documents [ITI-86])
 *           took ITI-62 over with the same two codes; no RMD-only code was found, so ITI-86 answers
 *           with codes of the TF table (which one per condition is left to the ITI-86 handler).
 * - `RMU`:  Restricted Metadata Update supplement (Restricted Update Document Set [ITI-92]); the Swiss
 *           EPR MHD update transaction reuses these codes in OperationOutcome.
 * - `MHD`:  MHD 4.2 (adds rows to Table 4.2.4.1-2 for ITI-65, and names one warning of its own).
 *
 * The TF table is keyed by transaction letters; `transactions` below spells them as ITI numbers:
 * P = Provide and Register-b [ITI-41], R = Register-b [ITI-42], SQ = Registry Stored Query [ITI-18],
 * RS = Retrieve Document Set [ITI-43], XGQ = Cross Gateway Query [ITI-38], XGR = Cross Gateway
 * Retrieve [ITI-39]. MHD Provide Document Bundle [ITI-65] may use any code of the table "if
 * appropriate", so ITI-65 is listed only where MHD names the code explicitly.
 *
 * Not a code: "XDSStoredQueryParamType" (an earlier key of this object) exists in no IHE table. A
 * stored-query parameter of the wrong type is reported with XDSRegistryError (the TF's code when no
 * more specific one applies) and a codeContext naming the parameter.
 */
export const XdsErrorCode = {
  // --- ITI TF-3 Table 4.2.4.1-2 ---
  DocumentQueued: 'DocumentQueued',
  InvalidDocumentContent: 'InvalidDocumentContent',
  PartialAppendContentNotProcessed: 'PartialAppendContentNotProcessed',
  PartialFolderContentNotProcessed: 'PartialFolderContentNotProcessed',
  PartialRelationshipContentNotProcessed: 'PartialRelationshipContentNotProcessed',
  PartialReplaceContentNotProcessed: 'PartialReplaceContentNotProcessed',
  PartialTransformNotProcessed: 'PartialTransformNotProcessed',
  PartialTransformReplaceNotProcessed: 'PartialTransformReplaceNotProcessed',
  UnresolvedReferenceException: 'UnresolvedReferenceException',
  XDSDocumentUniqueIdError: 'XDSDocumentUniqueIdError',
  XDSDuplicateUniqueIdInRegistry: 'XDSDuplicateUniqueIdInRegistry',
  XDSExtraMetadataNotSaved: 'XDSExtraMetadataNotSaved',
  XDSMissingDocument: 'XDSMissingDocument',
  XDSMissingDocumentMetadata: 'XDSMissingDocumentMetadata',
  XDSMissingHomeCommunityId: 'XDSMissingHomeCommunityId',
  XDSNonIdenticalHash: 'XDSNonIdenticalHash',
  XDSNonIdenticalSize: 'XDSNonIdenticalSize',
  XDSPatientIdDoesNotMatch: 'XDSPatientIdDoesNotMatch',
  XDSRegistryBusy: 'XDSRegistryBusy',
  XDSRepositoryBusy: 'XDSRepositoryBusy',
  XDSRegistryDeprecatedDocumentError: 'XDSRegistryDeprecatedDocumentError',
  XDSRegistryDuplicateUniqueIdInMessage: 'XDSRegistryDuplicateUniqueIdInMessage',
  XDSRepositoryDuplicateUniqueIdInMessage: 'XDSRepositoryDuplicateUniqueIdInMessage',
  XDSRegistryError: 'XDSRegistryError',
  XDSRepositoryError: 'XDSRepositoryError',
  XDSRegistryMetadataError: 'XDSRegistryMetadataError',
  XDSRepositoryMetadataError: 'XDSRepositoryMetadataError',
  XDSRegistryNotAvailable: 'XDSRegistryNotAvailable',
  XDSRegistryOutOfResources: 'XDSRegistryOutOfResources',
  XDSRepositoryOutOfResources: 'XDSRepositoryOutOfResources',
  XDSReplaceFailed: 'XDSReplaceFailed',
  XDSResultNotSinglePatient: 'XDSResultNotSinglePatient',
  XDSStoredQueryMissingParam: 'XDSStoredQueryMissingParam',
  XDSStoredQueryParamNumber: 'XDSStoredQueryParamNumber',
  XDSTooManyResults: 'XDSTooManyResults',
  XDSUnavailableCommunity: 'XDSUnavailableCommunity',
  XDSUnknownCommunity: 'XDSUnknownCommunity',
  XDSUnknownPatientId: 'XDSUnknownPatientId',
  XDSUnknownRepositoryId: 'XDSUnknownRepositoryId',
  XDSUnknownStoredQuery: 'XDSUnknownStoredQuery',
  // --- XDS Metadata Update (ITI-57, ITI-62) ---
  XDSMetadataUpdateError: 'XDSMetadataUpdateError',
  XDSMetadataUpdateOperationError: 'XDSMetadataUpdateOperationError',
  XDSMetadataVersionError: 'XDSMetadataVersionError',
  XDSPatientIDReconciliationError: 'XDSPatientIDReconciliationError',
  ReferencesExistException: 'ReferencesExistException',
  // --- Restricted Metadata Update (ITI-92) ---
  XDSMetadataIdentifierError: 'XDSMetadataIdentifierError',
  UnmodifiableMetadataError: 'UnmodifiableMetadataError',
  // --- MHD 4.2 (ITI-65) ---
  UnknownRecipient: 'UnknownRecipient',
  UnavailableRecipient: 'UnavailableRecipient',
  FHIRDocumentNotSupported: 'FHIRDocumentNotSupported',
  PartialTransformContentNotProcessed: 'PartialTransformContentNotProcessed',
} as const;
export type XdsErrorCode = (typeof XdsErrorCode)[keyof typeof XdsErrorCode];

export type XdsErrorCodeSource = 'TF-3' | 'MU' | 'RMU' | 'MHD';

export interface XdsErrorCodeInfo {
  code: XdsErrorCode;
  /** One line, in this project's words. */
  description: string;
  /** Transactions the defining table or supplement names the code for (ITI-nn). */
  transactions: readonly string[];
  source: XdsErrorCodeSource;
  /** Kept for reading old responses; never emit it. */
  deprecated?: boolean;
}

const P = 'ITI-41';
const R = 'ITI-42';
const SQ = 'ITI-18';
const RS = 'ITI-43';
const XGQ = 'ITI-38';
const XGR = 'ITI-39';

type Row = Omit<XdsErrorCodeInfo, 'code'>;

const rows: Record<XdsErrorCode, Row> = {
  DocumentQueued: {
    description: 'The recipient accepted the submission but parked it, e.g. for manual matching to a patient.',
    transactions: [P], source: 'TF-3',
  },
  InvalidDocumentContent: {
    description: 'A document contradicts its metadata (e.g. formatCode) or fails content rules; codeContext names its uniqueId, one error per document.',
    transactions: [P], source: 'TF-3',
  },
  PartialAppendContentNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored the append (APND) relationships.',
    transactions: [P, 'ITI-65'], source: 'TF-3',
  },
  PartialFolderContentNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored the folders.',
    transactions: [P, 'ITI-65'], source: 'TF-3',
  },
  PartialRelationshipContentNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored relationship associations.',
    transactions: [P], source: 'TF-3',
  },
  PartialReplaceContentNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored the replace (RPLC) relationships.',
    transactions: [P, 'ITI-65'], source: 'TF-3',
  },
  PartialTransformNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored the transform (XFRM) relationships.',
    transactions: [P], source: 'TF-3',
  },
  PartialTransformReplaceNotProcessed: {
    description: 'Warning: the recipient stored the documents but ignored transform-and-replace (XFRM_RPLC) relationships.',
    transactions: [P], source: 'TF-3',
  },
  UnresolvedReferenceException: {
    description: 'An entryUUID the request points at (association end, object to update or delete) is not known to the recipient.',
    transactions: [P, R, 'ITI-62'], source: 'TF-3',
  },
  XDSDocumentUniqueIdError: {
    description: 'The requested document cannot be returned: unknown uniqueId, removed, or the requester may not see it.',
    transactions: [RS, XGR], source: 'TF-3',
  },
  XDSDuplicateUniqueIdInRegistry: {
    description: 'A SubmissionSet or Folder uniqueId is already registered (never used for DocumentEntries; see the hash/size codes).',
    transactions: [P, R], source: 'TF-3',
  },
  XDSExtraMetadataNotSaved: {
    description: 'Warning: metadata outside the IHE-defined set was accepted but not stored.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSMissingDocument: {
    description: 'A DocumentEntry in the metadata has no matching document part in the message.',
    transactions: [P], source: 'TF-3',
  },
  XDSMissingDocumentMetadata: {
    description: 'A document part in the message has no DocumentEntry describing it.',
    transactions: [P], source: 'TF-3',
  },
  XDSMissingHomeCommunityId: {
    description: 'The request needs a homeCommunityId to be routed and none was given.',
    transactions: [SQ, XGQ, RS, XGR], source: 'TF-3',
  },
  XDSNonIdenticalHash: {
    description: 'A DocumentEntry re-registers an existing document uniqueId with a different hash.',
    transactions: [R], source: 'TF-3',
  },
  XDSNonIdenticalSize: {
    description: 'A DocumentEntry re-registers an existing document uniqueId with a different size.',
    transactions: [R], source: 'TF-3',
  },
  XDSPatientIdDoesNotMatch: {
    description: 'Objects that must share one patient ID (submission set, entries, folders, related documents) do not.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRegistryBusy: {
    description: 'The registry is too busy to handle the request now; retry later.',
    transactions: [P, R, SQ, XGQ], source: 'TF-3',
  },
  XDSRepositoryBusy: {
    description: 'The repository is too busy to handle the request now; retry later.',
    transactions: [P, RS, XGR], source: 'TF-3',
  },
  XDSRegistryDeprecatedDocumentError: {
    description: 'The submission adds an association to a DocumentEntry that is already deprecated.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRegistryDuplicateUniqueIdInMessage: {
    description: 'The registry found the same uniqueId on more than one object of one submission.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRepositoryDuplicateUniqueIdInMessage: {
    description: 'The repository found the same uniqueId on more than one document of one submission.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRegistryError: {
    description: 'Registry-side failure with no more specific code; codeContext carries the detail.',
    transactions: [P, R, SQ, XGQ], source: 'TF-3',
  },
  XDSRepositoryError: {
    description: 'Repository-side failure with no more specific code; codeContext carries the detail.',
    transactions: [P, RS, XGR], source: 'TF-3',
  },
  XDSRegistryMetadataError: {
    description: 'The registry rejected the metadata as invalid; codeContext says what is wrong.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRepositoryMetadataError: {
    description: 'The repository (or a Document Recipient) rejected the metadata as invalid; codeContext says what is wrong.',
    transactions: [P, R], source: 'TF-3',
  },
  XDSRegistryNotAvailable: {
    description: 'The repository could not reach the registry to register the documents.',
    transactions: [P], source: 'TF-3',
  },
  XDSRegistryOutOfResources: {
    description: 'The registry lacks the resources (memory, storage, connections) to handle the request.',
    transactions: [P, R, SQ, XGQ], source: 'TF-3',
  },
  XDSRepositoryOutOfResources: {
    description: 'The repository lacks the resources (memory, storage, connections) to handle the request.',
    transactions: [P, RS, XGR], source: 'TF-3',
  },
  XDSReplaceFailed: {
    description: 'Deprecated by the TF: the registry failed while applying a document replacement.',
    transactions: [P, R], source: 'TF-3', deprecated: true,
  },
  XDSResultNotSinglePatient: {
    description: 'The answer would mix content of more than one patient, which the request may not do.',
    transactions: [SQ, RS, XGQ, XGR], source: 'TF-3',
  },
  XDSStoredQueryMissingParam: {
    description: 'A parameter the stored query requires is absent.',
    transactions: [SQ, XGQ], source: 'TF-3',
  },
  XDSStoredQueryParamNumber: {
    description: 'A single-valued stored-query parameter was given more than one value.',
    transactions: [SQ, XGQ], source: 'TF-3',
  },
  XDSTooManyResults: {
    description: 'The result is larger than this responder will return; narrow the request.',
    transactions: [SQ, XGQ, RS, XGR], source: 'TF-3',
  },
  XDSUnavailableCommunity: {
    description: 'A community that had to be asked (by homeCommunityId or patient fan-out) could not be reached.',
    transactions: [SQ, RS], source: 'TF-3',
  },
  XDSUnknownCommunity: {
    description: 'The homeCommunityId given is not one this gateway knows.',
    transactions: [SQ, XGQ, RS, XGR], source: 'TF-3',
  },
  XDSUnknownPatientId: {
    description: 'The patient ID is not known to the receiver (not fed, merged away, or wrong authority); codeContext holds the ID.',
    transactions: [SQ, P, R, XGQ], source: 'TF-3',
  },
  XDSUnknownRepositoryId: {
    description: 'The repositoryUniqueId does not name a known repository, or not this one.',
    transactions: [RS, XGR], source: 'TF-3',
  },
  XDSUnknownStoredQuery: {
    description: 'The stored query ID in the request is not a query this registry knows.',
    transactions: [SQ, XGQ], source: 'TF-3',
  },
  XDSMetadataUpdateError: {
    description: 'A metadata update was rejected and no more specific update code fits.',
    transactions: ['ITI-57'], source: 'MU',
  },
  XDSMetadataUpdateOperationError: {
    description: 'The registry cannot work out which update operation the request asks for.',
    transactions: ['ITI-57'], source: 'MU',
  },
  XDSMetadataVersionError: {
    description: 'The update names a previous version that is not the current one (e.g. a concurrent update won).',
    transactions: ['ITI-57'], source: 'MU',
  },
  XDSPatientIDReconciliationError: {
    description: 'The update would change the patient of an object, or its patient does not match the stored one.',
    transactions: ['ITI-57', 'ITI-92'], source: 'MU',
  },
  ReferencesExistException: {
    description: 'An object to delete is still the source or target of an association that is not deleted with it.',
    transactions: ['ITI-62'], source: 'MU',
  },
  XDSMetadataIdentifierError: {
    description: 'A restricted update changes identifiers (uniqueId and the like) that must stay as stored.',
    transactions: ['ITI-92'], source: 'RMU',
  },
  UnmodifiableMetadataError: {
    description: 'A restricted update touches attributes that may not be changed by an update.',
    transactions: ['ITI-92'], source: 'RMU',
  },
  UnknownRecipient: {
    description: 'An intendedRecipient of the submission set is not recognised.',
    transactions: [P, 'ITI-65'], source: 'MHD',
  },
  UnavailableRecipient: {
    description: 'An intendedRecipient that should have been notified could not be reached.',
    transactions: [P, 'ITI-65'], source: 'MHD',
  },
  FHIRDocumentNotSupported: {
    description: 'The bundle carries a FHIR Document but this recipient does not support the FHIR Document Publish Option.',
    transactions: ['ITI-65'], source: 'MHD',
  },
  PartialTransformContentNotProcessed: {
    description: 'Warning (MHD spelling, ITI-65): relatesTo "transforms" was ignored; the XDS table spells it PartialTransformNotProcessed.',
    transactions: ['ITI-65'], source: 'MHD',
  },
};

/** Every known code with its description, transactions and source, in table order. */
export const XDS_ERROR_CODES: readonly XdsErrorCodeInfo[] = Object.freeze(
  (Object.keys(rows) as XdsErrorCode[]).map((code) => Object.freeze({ code, ...rows[code] })),
);

const byCode: ReadonlyMap<string, XdsErrorCodeInfo> = new Map(XDS_ERROR_CODES.map((info) => [info.code, info]));

export function isXdsErrorCode(value: string): value is XdsErrorCode {
  return byCode.has(value);
}

/** Full table row for a code, or undefined for a code this table does not know (e.g. a partner's extension). */
export function errorCodeInfo(code: string): XdsErrorCodeInfo | undefined {
  return byCode.get(code);
}

/** One-line description of a code; unknown codes get a neutral line naming the code, never an exception. */
export function describeErrorCode(code: string): string {
  return byCode.get(code)?.description ?? `Error code ${code} is not in the IHE XDS error code table.`;
}

/** Codes the defining table or supplement names for a transaction (e.g. 'ITI-18'). */
export function errorCodesForTransaction(transaction: string): XdsErrorCode[] {
  return XDS_ERROR_CODES.filter((info) => info.transactions.includes(transaction)).map((info) => info.code);
}
