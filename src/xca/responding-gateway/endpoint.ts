/**
 * The XCA Responding Gateway endpoint (ITI TF-1 XCA): ITI-38 and ITI-39 for this community,
 * with the access checks of their XDS.b counterparts (ITI-18 and ITI-43: the same grants, as
 * the access table has them) and the XDS.b endpoint machinery (security layer, audit, faults).
 */
import { ACCESS } from '../../security/access-table';
import { XDS_TRANSACTIONS } from '../../xds/actions';
import { XdsEndpoint } from '../../xds/endpoint';
import { endpointOptions, operationBuilder, type EndpointErrorSink, type XdsSecurity } from '../../xds/endpoints';
import type { XdsServices } from '../../xds/handler';
import { REGISTRY_LIMITS } from '../../xds/limits';
import { crossGatewayQuery } from './cross-gateway-query';
import { crossGatewayRetrieve } from './cross-gateway-retrieve';

export function createRespondingGatewayEndpoint(services: XdsServices, security: XdsSecurity, onError?: EndpointErrorSink): XdsEndpoint {
  const operation = operationBuilder(services, security);
  return new XdsEndpoint([
    operation(XDS_TRANSACTIONS.crossGatewayQuery, ACCESS.searchDocuments, crossGatewayQuery(services)),
    operation(XDS_TRANSACTIONS.crossGatewayRetrieve, ACCESS.retrieveDocument, crossGatewayRetrieve(services)),
    // Both requests carry metadata only (documents travel in the responses): the registry's limits.
  ], { limits: REGISTRY_LIMITS, ...endpointOptions(security, onError) });
}
