/**
 * The XCA Responding Gateway endpoint (ITI TF-1 XCA): the descriptors bound to it (ITI-38,
 * ITI-39, src/transactions/xca.ts) with their handlers, on the XDS.b endpoint machinery
 * (security layer, access, audit, faults).
 */
import { soapEndpoint, type EndpointErrorSink, type XdsSecurity } from '../../xds/endpoints';
import type { XdsServices } from '../../xds/handler';
import { REGISTRY_LIMITS } from '../../xds/limits';
import { crossGatewayQuery } from './cross-gateway-query';
import { crossGatewayRetrieve } from './cross-gateway-retrieve';
import { fromCommunity } from './community-caller';

/** `requireCommunity`: AUTH=on, where only an authenticated community is answered (community-caller.ts). */
export function createRespondingGatewayEndpoint(services: XdsServices, security: XdsSecurity, onError?: EndpointErrorSink, requireCommunity = false) {
  return soapEndpoint('responding-gateway', {
    'ITI-38': (s, t) => fromCommunity(crossGatewayQuery(s, t), requireCommunity),
    'ITI-39': (s, t) => fromCommunity(crossGatewayRetrieve(s, t), requireCommunity),
  }, services, security, {
    // Both requests carry metadata only (documents travel in the responses): the registry's limits.
    limits: REGISTRY_LIMITS,
    ...(onError ? { onError } : {}),
  });
}
