/**
 * The two XDS.b endpoints (ITI TF-1: Document Registry and Document Repository actors), built
 * from the transaction descriptors (src/transactions): each descriptor with a SOAP binding
 * names its endpoint, actions and access; HANDLERS below pairs it with its handler, the one
 * place in this front end that does. A descriptor with a SOAP binding and no handler here
 * does not compile.
 */
import type { SoapAuthenticator } from '../security/soap-authentication';
import type { AccessPolicy } from '../security/authorize';
import { soapTransactions, type SoapBinding, type SoapDescriptor, type SoapTransactionId } from '../transactions';
import { xdsTransactionOf, type XdsTransaction } from './actions';
import { audited } from './audit';
import { authorized } from './authorized';
import { XdsEndpoint, type XdsOperation } from './endpoint';
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

/** The handler of each XDS.b transaction. */
const HANDLERS: { [K in SoapTransactionId]: (services: XdsServices, transaction: XdsTransaction) => AuditedXdsHandler } = {
  'ITI-41': (services) => provideAndRegisterDocumentSet(services),
  'ITI-42': (services) => registerDocumentSet(services),
  'ITI-18': registryStoredQuery,
  'ITI-51': registryStoredQuery,
  'ITI-43': (services) => retrieveDocumentSet(services),
  'ITI-57': (services) => updateDocumentSet(services),
  'ITI-62': (services) => deleteDocumentSet(services),
  'ITI-86': (services) => removeDocuments(services),
};

const LIMITS = { registry: REGISTRY_LIMITS, repository: REPOSITORY_LIMITS } as const satisfies Record<SoapBinding['endpoint'], unknown>;

export function createXdsEndpoints(services: XdsServices, security: XdsSecurity, onError?: (err: unknown, action: string | undefined) => void): XdsEndpoints {
  // Every handler checks access first, and is wrapped so that a request it answers with a SOAP
  // fault (a refusal included) is audited too.
  const operation = (descriptor: SoapDescriptor): XdsOperation => {
    const transaction = xdsTransactionOf(descriptor);
    return {
      transaction,
      handler: audited(services, descriptor.id, authorized(descriptor.soap.access, security.policy, HANDLERS[descriptor.id](services, transaction))),
      streamsAttachments: descriptor.soap.streamsAttachments ?? false,
    };
  };
  const options = { authenticator: security.authenticator, ...(onError ? { onError } : {}) };
  const endpoint = (name: SoapBinding['endpoint']) =>
    new XdsEndpoint(soapTransactions().filter((d) => d.soap.endpoint === name).map(operation), { limits: LIMITS[name], ...options });
  return { registry: endpoint('registry'), repository: endpoint('repository') };
}
