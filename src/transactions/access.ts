/**
 * What a transaction does, in the terms scopes are written in (SMART App Launch / IUA):
 * which FHIR interaction on which resource type. Declared here, with the transactions,
 * because every descriptor names its access; src/security decides whether a caller has it.
 *
 * The lists below are shared by counterparts, so an XDS.b transaction needs the same grant
 * as its MHD one (ITI-18 as ITI-67, ITI-43 as ITI-68). A transaction that touches several
 * resource types needs a grant for each: ITI-65 and ITI-41 create DocumentReferences, the
 * SubmissionSet List and the documents' Binaries.
 */

export type FhirInteraction = 'create' | 'read' | 'update' | 'delete' | 'search';

/** The resource types access is decided on (MHD, ITI-81, ITI-104; XDS.b maps onto them; the eRecept bridge's prescriptions and dispenses). */
export type ProtectedResource = 'DocumentReference' | 'List' | 'Binary' | 'AuditEvent' | 'Patient' | 'MedicationRequest' | 'MedicationDispense' | 'Subscription';

export interface Access {
  resource: ProtectedResource;
  interaction: FhirInteraction;
}

export const on = (resource: ProtectedResource, ...interactions: FhirInteraction[]): readonly Access[] => interactions.map((interaction) => ({ resource, interaction }));

/** Access lists shared by the MHD and XDS.b counterparts of one exchange. */
export const SHARED_ACCESS = {
  provideDocuments: [...on('DocumentReference', 'create'), ...on('List', 'create'), ...on('Binary', 'create')],
  registerMetadata: [...on('DocumentReference', 'create'), ...on('List', 'create')],
  searchDocuments: on('DocumentReference', 'search'),
  retrieveDocuments: on('Binary', 'read'),
} as const satisfies Record<string, readonly Access[]>;
