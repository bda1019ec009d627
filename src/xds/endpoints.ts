/** The two XDS.b endpoints and the transactions each serves (ITI TF-1: Document Registry and Document Repository actors). */
import { XDS_TRANSACTIONS } from './actions';
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
  const table = (entries: [string, XdsHandler][]) => new Map(entries);
  const errors = onError ? { onError } : {};
  return {
    registry: new XdsEndpoint(table([
      [XDS_TRANSACTIONS.register.request, registerDocumentSet(services)],
      [XDS_TRANSACTIONS.storedQuery.request, registryStoredQuery(services, XDS_TRANSACTIONS.storedQuery)],
      [XDS_TRANSACTIONS.multiPatientQuery.request, registryStoredQuery(services, XDS_TRANSACTIONS.multiPatientQuery)],
      [XDS_TRANSACTIONS.update.request, updateDocumentSet(services)],
      [XDS_TRANSACTIONS.delete.request, deleteDocumentSet(services)],
    ]), { limits: REGISTRY_LIMITS, ...errors }),
    repository: new XdsEndpoint(table([
      [XDS_TRANSACTIONS.provideAndRegister.request, provideAndRegisterDocumentSet(services)],
      [XDS_TRANSACTIONS.retrieve.request, retrieveDocumentSet(services)],
      [XDS_TRANSACTIONS.removeDocuments.request, removeDocuments(services)],
    ]), { limits: REPOSITORY_LIMITS, ...errors }),
  };
}
