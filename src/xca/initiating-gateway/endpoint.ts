/**
 * The XCA Initiating Gateway endpoint for this community's Document Consumers
 * (/xca/initiating-gateway): the descriptors served there (ITI-18 and ITI-43, whose bindings
 * name it in `alsoOn`) with handlers that add the other communities' answers, on the XDS.b
 * endpoint machinery (security layer, access, audit, faults). /xds/registry and
 * /xds/repository stay local-only.
 */
import type { Communities } from '../../communities/communities';
import { soapEndpoint, type EndpointErrorSink, type XdsSecurity } from '../../xds/endpoints';
import type { XdsServices } from '../../xds/handler';
import { REPOSITORY_LIMITS } from '../../xds/limits';
import { initiatingRetrieve } from './retrieve';
import { initiatingStoredQuery } from './stored-query';

export function createInitiatingGatewayEndpoint(services: XdsServices, communities: Communities, security: XdsSecurity, onError?: EndpointErrorSink) {
  return soapEndpoint('initiating-gateway', {
    'ITI-18': (s, transaction) => initiatingStoredQuery(s, communities, transaction),
    'ITI-43': (s, transaction) => initiatingRetrieve(s, communities, transaction),
  }, services, security, {
    // Requests carry metadata only; the repository's limits are the larger of the two.
    limits: REPOSITORY_LIMITS,
    ...(onError ? { onError } : {}),
  });
}
