/**
 * The two XDS.b endpoints (ITI TF-1: Document Registry and Document Repository actors), built
 * from the transaction descriptors (src/transactions): each descriptor with a SOAP binding
 * names its endpoint, actions and access; HANDLERS below pairs it with its handler, the one
 * place in this front end that does. A descriptor bound to one of these endpoints and with no
 * handler here does not compile. The XCA Responding Gateway (src/xca) builds its endpoint the
 * same way, from the same pieces (soapEndpoint).
 */
import type { SoapAuthenticator } from '../security/soap-authentication';
import type { AccessPolicy } from '../security/authorize';
import { soapTransactionsOn, type SoapBinding, type SoapDescriptor, type SoapTransactionIdOn } from '../transactions';
import { xdsTransactionOf, type XdsTransaction } from './actions';
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

type XdsEndpointName = 'registry' | 'repository';

/** A SOAP transaction's handler, given the services and the transaction (its id and actions). */
export type SoapHandlerFactory = (services: XdsServices, transaction: XdsTransaction) => AuditedXdsHandler;

/** The handler of each XDS.b transaction. */
const HANDLERS: { [K in SoapTransactionIdOn<XdsEndpointName>]: SoapHandlerFactory } = {
  'ITI-41': (services) => provideAndRegisterDocumentSet(services),
  'ITI-42': (services) => registerDocumentSet(services),
  'ITI-18': registryStoredQuery,
  'ITI-51': registryStoredQuery,
  'ITI-43': retrieveDocumentSet,
  'ITI-57': (services) => updateDocumentSet(services),
  'ITI-62': (services) => deleteDocumentSet(services),
  'ITI-86': (services) => removeDocuments(services),
};

export type EndpointErrorSink = (err: unknown, action: string | undefined) => void;

/**
 * One SOAP endpoint: the descriptors bound to `name`, each with its handler from `handlers`.
 * Every handler checks access first, and is wrapped so that a request it answers with a SOAP
 * fault (a refusal included) is audited too.
 */
export function soapEndpoint<E extends SoapBinding['endpoint']>(
  name: E,
  handlers: { [K in SoapTransactionIdOn<E>]: SoapHandlerFactory },
  services: XdsServices,
  security: XdsSecurity,
  options: Pick<XdsEndpointOptions, 'limits'> & { onError?: EndpointErrorSink },
): XdsEndpoint {
  const operation = (descriptor: SoapDescriptor): XdsOperation => {
    const transaction = xdsTransactionOf(descriptor);
    const handler = handlers[descriptor.id as SoapTransactionIdOn<E>](services, transaction);
    return {
      transaction,
      handler: audited(services, descriptor.id, authorized(descriptor.soap.access, security.policy, handler)),
      streamsAttachments: descriptor.soap.streamsAttachments ?? false,
    };
  };
  const operations = soapTransactionsOn(name).map(operation);
  return new XdsEndpoint(operations, { limits: options.limits, authenticator: security.authenticator, ...(options.onError ? { onError: options.onError } : {}) });
}

const LIMITS = { registry: REGISTRY_LIMITS, repository: REPOSITORY_LIMITS } as const satisfies Record<XdsEndpointName, unknown>;

export function createXdsEndpoints(services: XdsServices, security: XdsSecurity, onError?: EndpointErrorSink): XdsEndpoints {
  const endpoint = (name: XdsEndpointName) => soapEndpoint(name, HANDLERS, services, security, { limits: LIMITS[name], ...(onError ? { onError } : {}) });
  return { registry: endpoint('registry'), repository: endpoint('repository') };
}
