/** MHD (FHIR R4) transactions: ITI-65 Provide Document Bundle, ITI-66/67 searches and reads, ITI-68 Retrieve Document. */
import { on, SHARED_ACCESS } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ITI_65 = {
  id: 'ITI-65',
  name: 'Provide Document Bundle',
  audit: { kind: 'push', atc: 'ATC_DOC_CREATE' },
  fhir: [{ method: 'POST', path: '/', handler: 'provide', access: SHARED_ACCESS.provideDocuments }],
} as const satisfies TransactionDescriptor;

export const ITI_68 = {
  id: 'ITI-68',
  name: 'Retrieve Document',
  audit: { kind: 'pull', atc: 'ATC_DOC_READ', rest: 'read' },
  // GET routes answer HEAD too.
  fhir: [{ method: 'GET', path: '/Binary/:id', handler: 'retrieve', access: SHARED_ACCESS.retrieveDocuments }],
} as const satisfies TransactionDescriptor;

export const ITI_67 = {
  id: 'ITI-67',
  name: 'Find Document References',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH', rest: 'search-type' },
  fhir: [
    { method: 'GET', path: '/DocumentReference', handler: 'search', access: SHARED_ACCESS.searchDocuments },
    { method: 'POST', path: '/DocumentReference/_search', handler: 'searchByPost', access: SHARED_ACCESS.searchDocuments },
    { method: 'GET', path: '/DocumentReference/:id', handler: 'read', access: on('DocumentReference', 'read') },
  ],
} as const satisfies TransactionDescriptor;

export const ITI_66 = {
  id: 'ITI-66',
  name: 'Find Document Lists',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH', rest: 'search-type' },
  fhir: [
    { method: 'GET', path: '/List', handler: 'search', access: on('List', 'search') },
    { method: 'POST', path: '/List/_search', handler: 'searchByPost', access: on('List', 'search') },
    { method: 'GET', path: '/List/:id', handler: 'read', access: on('List', 'read') },
  ],
} as const satisfies TransactionDescriptor;
