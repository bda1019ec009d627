/**
 * XDS error code -> FHIR IssueType and HTTP status, for answering a RegistryError over
 * FHIR. Typed as a Record over every XdsErrorCode, so a code added to the domain table
 * does not compile until it is placed here.
 *
 * Statuses follow FHIR R4 http.html: 400 for a request the server cannot read, 422 for
 * content that breaks a profile or business rule (MHD ITI-65 defers to FHIR transaction
 * rules, which name no finer status), 409 for a clash with what is already registered,
 * 404 only where the URL itself names something unknown (ITI-68 documents, repositories,
 * communities), 503/502 for a busy or unreachable backend, 507 for a repository that has
 * no room left for the documents. The core reports client
 * mistakes in stored-query parameters as XDSRegistryError, so that code is 400, not 500.
 */
import type { XdsErrorCode } from '../../domain/error-codes';
import type { IssueType } from '../http/operation-outcome';

export interface IssueMapping {
  issue: IssueType;
  status: number;
}

const invalid: IssueMapping = { issue: 'invalid', status: 422 };
const notFoundInBody: IssueMapping = { issue: 'not-found', status: 422 };
const notProcessed: IssueMapping = { issue: 'not-supported', status: 422 };
const busy: IssueMapping = { issue: 'transient', status: 503 };

const XDS_ISSUES: Readonly<Record<XdsErrorCode, IssueMapping>> = {
  DocumentQueued: { issue: 'informational', status: 202 },
  InvalidDocumentContent: invalid,
  PartialAppendContentNotProcessed: notProcessed,
  PartialFolderContentNotProcessed: notProcessed,
  PartialRelationshipContentNotProcessed: notProcessed,
  PartialReplaceContentNotProcessed: notProcessed,
  PartialTransformNotProcessed: notProcessed,
  PartialTransformReplaceNotProcessed: notProcessed,
  PartialTransformContentNotProcessed: notProcessed,
  UnresolvedReferenceException: notFoundInBody,
  XDSDocumentUniqueIdError: { issue: 'not-found', status: 404 },
  XDSDuplicateUniqueIdInRegistry: { issue: 'duplicate', status: 409 },
  XDSExtraMetadataNotSaved: { issue: 'informational', status: 422 },
  XDSMissingDocument: { issue: 'required', status: 422 },
  XDSMissingDocumentMetadata: { issue: 'required', status: 422 },
  XDSMissingHomeCommunityId: { issue: 'required', status: 400 },
  XDSNonIdenticalHash: { issue: 'conflict', status: 409 },
  XDSNonIdenticalSize: { issue: 'conflict', status: 409 },
  XDSPatientIdDoesNotMatch: { issue: 'business-rule', status: 422 },
  XDSRegistryBusy: busy,
  XDSRepositoryBusy: busy,
  XDSRegistryDeprecatedDocumentError: { issue: 'business-rule', status: 422 },
  XDSRegistryDuplicateUniqueIdInMessage: { issue: 'duplicate', status: 422 },
  XDSRepositoryDuplicateUniqueIdInMessage: { issue: 'duplicate', status: 422 },
  XDSRegistryError: { issue: 'invalid', status: 400 },
  XDSRepositoryError: { issue: 'exception', status: 500 },
  XDSRegistryMetadataError: invalid,
  XDSRepositoryMetadataError: invalid,
  XDSRegistryNotAvailable: busy,
  XDSRegistryOutOfResources: busy,
  XDSRepositoryOutOfResources: { issue: 'no-store', status: 507 },
  XDSReplaceFailed: { issue: 'processing', status: 422 },
  XDSResultNotSinglePatient: { issue: 'business-rule', status: 422 },
  XDSStoredQueryMissingParam: { issue: 'required', status: 400 },
  XDSStoredQueryParamNumber: { issue: 'invalid', status: 400 },
  XDSTooManyResults: { issue: 'too-costly', status: 422 },
  XDSUnavailableCommunity: { issue: 'transient', status: 502 },
  XDSUnknownCommunity: { issue: 'not-found', status: 404 },
  XDSUnknownPatientId: notFoundInBody,
  XDSUnknownRepositoryId: { issue: 'not-found', status: 404 },
  XDSUnknownStoredQuery: { issue: 'not-supported', status: 400 },
  XDSMetadataUpdateError: invalid,
  XDSMetadataUpdateOperationError: invalid,
  XDSMetadataVersionError: { issue: 'conflict', status: 409 },
  XDSPatientIDReconciliationError: { issue: 'business-rule', status: 422 },
  ReferencesExistException: { issue: 'conflict', status: 409 },
  XDSMetadataIdentifierError: invalid,
  UnmodifiableMetadataError: invalid,
  UnknownRecipient: notFoundInBody,
  UnavailableRecipient: { issue: 'transient', status: 502 },
  FHIRDocumentNotSupported: notProcessed,
};

/** A code outside the table (a partner's extension) is still an error the request caused. */
const UNKNOWN: IssueMapping = { issue: 'processing', status: 422 };

export function issueMapping(code: string): IssueMapping {
  return (XDS_ISSUES as Record<string, IssueMapping>)[code] ?? UNKNOWN;
}

/**
 * One HTTP status for several errors: a server-side failure wins (the client cannot fix
 * it), then unreadable input (400), then the URL naming nothing (404), then content
 * errors (422), then conflicts with stored state (409), which only matter once the
 * content is right.
 */
const STATUS_PRECEDENCE = [507, 503, 502, 500, 400, 404, 422, 409];

export function statusForCodes(codes: readonly string[]): number {
  const statuses = new Set(codes.map((c) => issueMapping(c).status));
  return STATUS_PRECEDENCE.find((s) => statuses.has(s)) ?? 422;
}
