/** The two XDS.b endpoints and the transactions each serves (ITI TF-1: Document Registry and Document Repository actors). */
import { XDS_TRANSACTIONS, type XdsTransaction } from './actions';
import { auditingFaults } from './audit';
import { XdsEndpoint } from './endpoint';
import type { XdsHandler, XdsServices } from './handler';
import { REGISTRY_LIMITS, REPOSITORY_LIMITS } from './limits';
import { deleteDocumentSet } from './transactions/delete-document-set';
import { provideAndRegisterDocumentSet } from './transactions/provide-and-register';
import { registerDocumentSet } from './transactions/register-document-set';
import { registryStoredQuery } from './transactions/registry-stored-query';
import { removeDocuments } from './transactions/remove-documents';
import { retrieveDocumentSet } from './transactions/retrieve-document-set';
import { updateDocumentSet } from './transactions/update-document-set';

export interface XdsEndpoints {
  registry: XdsEndpoint;
  repository: XdsEndpoint;
}

export function createXdsEndpoints(services: XdsServices, onError?: (err: unknown, action: string | undefined) => void): XdsEndpoints {
  // Every handler is wrapped so that a request it answers with a SOAP fault is audited too.
  const table = (entries: [XdsTransaction, XdsHandler][]) => new Map(entries.map(([t, handler]) => [t.request, auditingFaults(services, t.id, handler)]));
  const errors = onError ? { onError } : {};
  return {
    registry: new XdsEndpoint(table([
      [XDS_TRANSACTIONS.register, registerDocumentSet(services)],
      [XDS_TRANSACTIONS.storedQuery, registryStoredQuery(services, XDS_TRANSACTIONS.storedQuery)],
      [XDS_TRANSACTIONS.multiPatientQuery, registryStoredQuery(services, XDS_TRANSACTIONS.multiPatientQuery)],
      [XDS_TRANSACTIONS.update, updateDocumentSet(services)],
      [XDS_TRANSACTIONS.delete, deleteDocumentSet(services)],
    ]), { limits: REGISTRY_LIMITS, ...errors }),
    repository: new XdsEndpoint(table([
      [XDS_TRANSACTIONS.provideAndRegister, provideAndRegisterDocumentSet(services)],
      [XDS_TRANSACTIONS.retrieve, retrieveDocumentSet(services)],
      [XDS_TRANSACTIONS.removeDocuments, removeDocuments(services)],
    ]), { limits: REPOSITORY_LIMITS, ...errors }),
  };
}
