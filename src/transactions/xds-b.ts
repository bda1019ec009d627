/**
 * XDS.b transactions served over SOAP 1.2 (ITI TF-2; ITI-51 from the Multi-Patient Queries
 * supplement, ITI-57 from XDS Metadata Update, ITI-62 and ITI-86 from RMD).
 */
import { on, SHARED_ACCESS } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ITI_41 = {
  id: 'ITI-41',
  name: 'Provide and Register Document Set-b',
  audit: { kind: 'push', atc: 'ATC_DOC_CREATE' },
  soap: {
    endpoint: 'repository',
    request: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
    response: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
    access: SHARED_ACCESS.provideDocuments,
    // Documents stream from the request into storage; the handler checks the rest of the body before it commits.
    streamsAttachments: true,
  },
} as const satisfies TransactionDescriptor;

export const ITI_42 = {
  id: 'ITI-42',
  name: 'Register Document Set-b',
  audit: { kind: 'push', atc: 'ATC_DOC_CREATE' },
  soap: { endpoint: 'registry', request: 'urn:ihe:iti:2007:RegisterDocumentSet-b', response: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse', access: SHARED_ACCESS.registerMetadata },
} as const satisfies TransactionDescriptor;

export const ITI_18 = {
  id: 'ITI-18',
  name: 'Registry Stored Query',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH' },
  soap: { endpoint: 'registry', alsoOn: ['initiating-gateway'], request: 'urn:ihe:iti:2007:RegistryStoredQuery', response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse', access: SHARED_ACCESS.searchDocuments },
} as const satisfies TransactionDescriptor;

export const ITI_51 = {
  id: 'ITI-51',
  name: 'Multi-Patient Stored Query',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH' },
  soap: { endpoint: 'registry', request: 'urn:ihe:iti:2009:MultiPatientStoredQuery', response: 'urn:ihe:iti:2009:MultiPatientStoredQueryResponse', access: SHARED_ACCESS.searchDocuments },
} as const satisfies TransactionDescriptor;

export const ITI_43 = {
  id: 'ITI-43',
  name: 'Retrieve Document Set',
  audit: { kind: 'pull', atc: 'ATC_DOC_READ' },
  soap: { endpoint: 'repository', alsoOn: ['initiating-gateway'], request: 'urn:ihe:iti:2007:RetrieveDocumentSet', response: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse', access: SHARED_ACCESS.retrieveDocuments },
} as const satisfies TransactionDescriptor;

export const ITI_57 = {
  id: 'ITI-57',
  name: 'Update Document Set',
  audit: { kind: 'update', atc: 'ATC_DOC_UPDATE' },
  soap: { endpoint: 'registry', request: 'urn:ihe:iti:2010:UpdateDocumentSet', response: 'urn:ihe:iti:2010:UpdateDocumentSetResponse', access: on('DocumentReference', 'update') },
} as const satisfies TransactionDescriptor;

export const ITI_62 = {
  id: 'ITI-62',
  name: 'Delete Document Set',
  audit: { kind: 'remove', atc: 'ATC_DOC_DELETE' },
  soap: { endpoint: 'registry', request: 'urn:ihe:iti:2010:DeleteDocumentSet', response: 'urn:ihe:iti:2010:DeleteDocumentSetResponse', access: on('DocumentReference', 'delete') },
} as const satisfies TransactionDescriptor;

export const ITI_86 = {
  id: 'ITI-86',
  name: 'Remove Documents',
  audit: { kind: 'remove', atc: 'ATC_DOC_DELETE' },
  soap: { endpoint: 'repository', request: 'urn:ihe:iti:2017:RemoveDocuments', response: 'urn:ihe:iti:2017:RemoveDocumentsResponse', access: on('Binary', 'delete') },
} as const satisfies TransactionDescriptor;
