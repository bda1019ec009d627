/** The two XDS.b endpoints and the transactions each serves (ITI TF-1: Document Registry and Document Repository actors). */
import { ACCESS } from '../security/access-table';
import type { SoapAuthenticator } from '../security/soap-authentication';
import type { AccessPolicy } from '../security/authorize';
import type { Access } from '../security/scopes';
import { XDS_TRANSACTIONS, type XdsTransaction } from './actions';
import { audited } from './audit';
import { authorized } from './authorized';
import { XdsEndpoint, type XdsEndpointOptions, type XdsOperation } from './endpoint';
import type { AuditedXdsHandler, XdsServices } from './handler';
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

export interface XdsSecurity {
  authenticator: SoapAuthenticator;
  policy: AccessPolicy;
}

export type EndpointErrorSink = (err: unknown, action: string | undefined) => void;

export type OperationBuilder = (transaction: XdsTransaction, accesses: readonly Access[], handler: AuditedXdsHandler, streamsAttachments?: boolean) => XdsOperation;

/**
 * Builds an endpoint's operations: every handler checks access first, and is wrapped so that a
 * request it answers with a SOAP fault (a refusal included) is audited too. Shared with the XCA
 * Responding Gateway (src/xca), whose transactions are these handlers from another community.
 */
export function operationBuilder(services: XdsServices, security: XdsSecurity): OperationBuilder {
  return (transaction, accesses, handler, streamsAttachments = false) => ({
    transaction,
    handler: audited(services, transaction.id, authorized(accesses, security.policy, handler)),
    streamsAttachments,
  });
}

/** What every SOAP endpoint is built with besides its operations and limits. */
export function endpointOptions(security: XdsSecurity, onError?: EndpointErrorSink): Pick<XdsEndpointOptions, 'authenticator' | 'onError'> {
  return { authenticator: security.authenticator, ...(onError ? { onError } : {}) };
}

export function createXdsEndpoints(services: XdsServices, security: XdsSecurity, onError?: EndpointErrorSink): XdsEndpoints {
  const operation = operationBuilder(services, security);
  const options = endpointOptions(security, onError);
  return {
    registry: new XdsEndpoint([
      operation(XDS_TRANSACTIONS.register, ACCESS.register, registerDocumentSet(services)),
      operation(XDS_TRANSACTIONS.storedQuery, ACCESS.searchDocuments, registryStoredQuery(services, XDS_TRANSACTIONS.storedQuery)),
      operation(XDS_TRANSACTIONS.multiPatientQuery, ACCESS.searchDocuments, registryStoredQuery(services, XDS_TRANSACTIONS.multiPatientQuery)),
      operation(XDS_TRANSACTIONS.update, ACCESS.updateMetadata, updateDocumentSet(services)),
      operation(XDS_TRANSACTIONS.delete, ACCESS.deleteMetadata, deleteDocumentSet(services)),
    ], { limits: REGISTRY_LIMITS, ...options }),
    repository: new XdsEndpoint([
      // Documents stream from the request into storage; the handler checks the rest of the body before it commits.
      operation(XDS_TRANSACTIONS.provideAndRegister, ACCESS.provideBundle, provideAndRegisterDocumentSet(services), true),
      operation(XDS_TRANSACTIONS.retrieve, ACCESS.retrieveDocument, retrieveDocumentSet(services)),
      operation(XDS_TRANSACTIONS.removeDocuments, ACCESS.removeDocuments, removeDocuments(services)),
    ], { limits: REPOSITORY_LIMITS, ...options }),
  };
}
