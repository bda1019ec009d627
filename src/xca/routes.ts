/**
 * HTTP routes of the XCA front end: POST ITI-38/39 SOAP 1.2 messages to /xca/responding-gateway
 * (other communities asking this one), ITI-18/43 to /xca/initiating-gateway (this community's
 * consumers asking every community); GET either with ?wsdl (or ?xsd=<name>).
 */
import type Router from '@koa/router';
import type { Gateway } from '../gateway';
import type { Logger } from '../logger';
import type { XdsSecurity } from '../xds/endpoints';
import { soapRouter } from '../xds/routes';
import { createInitiatingGatewayEndpoint } from './initiating-gateway/endpoint';
import { createRespondingGatewayEndpoint } from './responding-gateway/endpoint';

export const XCA_PATHS = { respondingGateway: '/xca/responding-gateway', initiatingGateway: '/xca/initiating-gateway' } as const;

export function xcaRouter(gw: Gateway, security: XdsSecurity, logger: Logger): Router {
  const onError = (err: unknown, action: string | undefined) => logger.error({ err, action }, 'XCA request failed');
  return soapRouter([
    { path: XCA_PATHS.respondingGateway, wsdlName: 'RespondingGateway', endpoint: createRespondingGatewayEndpoint(gw, security, onError, gw.config.security.auth === 'on') },
    { path: XCA_PATHS.initiatingGateway, wsdlName: 'InitiatingGateway', endpoint: createInitiatingGatewayEndpoint(gw, gw.communities, security, onError) },
  ]);
}
