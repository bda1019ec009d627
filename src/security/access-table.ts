/**
 * What each interaction of the front ends does, in the terms scopes are written in: one
 * table, so an XDS.b transaction needs the same grant as its MHD counterpart (ITI-18 as
 * ITI-67, ITI-43 as ITI-68). A transaction that touches several resource types needs a
 * grant for each: ITI-65 and ITI-41 create DocumentReferences, the SubmissionSet List and
 * the documents' Binaries.
 */
import type { Access, FhirInteraction, ProtectedResource } from './scopes';

const on = (resource: ProtectedResource, ...interactions: FhirInteraction[]): Access[] => interactions.map((interaction) => ({ resource, interaction }));

export const ACCESS = {
  provideBundle: [...on('DocumentReference', 'create'), ...on('List', 'create'), ...on('Binary', 'create')],
  register: [...on('DocumentReference', 'create'), ...on('List', 'create')],
  searchDocuments: on('DocumentReference', 'search'),
  readDocumentReference: on('DocumentReference', 'read'),
  searchLists: on('List', 'search'),
  readList: on('List', 'read'),
  retrieveDocument: on('Binary', 'read'),
  updateMetadata: on('DocumentReference', 'update'),
  deleteMetadata: on('DocumentReference', 'delete'),
  removeDocuments: on('Binary', 'delete'),
  feedPatient: on('Patient', 'update'),
  readPatient: on('Patient', 'read'),
  searchPatients: on('Patient', 'search'),
  createAuditEvent: on('AuditEvent', 'create'),
  searchAuditEvents: on('AuditEvent', 'search'),
  readAuditEvent: on('AuditEvent', 'read'),
} as const satisfies Record<string, readonly Access[]>;

export type AccessName = keyof typeof ACCESS;
