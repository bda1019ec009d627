/**
 * The XCA Responding Gateway endpoint (ITI TF-1 XCA, XCPD): the descriptors bound to it (ITI-38,
 * ITI-39, ITI-55, src/transactions/xca.ts) with their handlers, on the XDS.b endpoint machinery
 * (security layer, access, audit, faults). ITI-55's handler is the NCPeH bridge's XCPD responder.
 */
import { crossGatewayPatientDiscovery } from '../../bridges/ncpeh/xcpd/responder';
import { soapEndpoint, type EndpointErrorSink, type XdsSecurity } from '../../xds/endpoints';
import type { XdsServices } from '../../xds/handler';
import { REGISTRY_LIMITS } from '../../xds/limits';
import { crossGatewayQuery } from './cross-gateway-query';
import { crossGatewayRetrieve } from './cross-gateway-retrieve';
import { trcBound } from './trc-bound';
import { fromCommunity } from './community-caller';

/** `requireCommunity`: AUTH=on, where only an authenticated community is answered (community-caller.ts). */
export function createRespondingGatewayEndpoint(services: XdsServices, security: XdsSecurity, onError?: EndpointErrorSink, requireCommunity = false) {
  return soapEndpoint('responding-gateway', {
    'ITI-38': (s, t) => fromCommunity(trcBound(crossGatewayQuery(s, t)), requireCommunity),
    'ITI-39': (s, t) => fromCommunity(crossGatewayRetrieve(s, t), requireCommunity),
    'ITI-55': (s, t) => fromCommunity(crossGatewayPatientDiscovery(s, t), requireCommunity),
  }, services, security, {
    // The requests carry metadata only (documents travel in the responses): the registry's limits.
    limits: REGISTRY_LIMITS,
    ...(onError ? { onError } : {}),
  });
}
