/**
 * HTTP routes of the XCA front end: POST ITI-38/39 SOAP 1.2 messages to /xca/responding-gateway;
 * GET it with ?wsdl (or ?xsd=<name>) for its service description.
 */
import type Router from '@koa/router';
import type { Gateway } from '../gateway';
import type { Logger } from '../logger';
import type { XdsSecurity } from '../xds/endpoints';
import { soapRouter } from '../xds/routes';
import { createRespondingGatewayEndpoint } from './responding-gateway/endpoint';

export const XCA_PATHS = { respondingGateway: '/xca/responding-gateway', initiatingGateway: '/xca/initiating-gateway' } as const;

export function xcaRouter(gw: Gateway, security: XdsSecurity, logger: Logger): Router {
  const endpoint = createRespondingGatewayEndpoint(gw, security, (err, action) => logger.error({ err, action }, 'XCA request failed'));
  return soapRouter([{ path: XCA_PATHS.respondingGateway, wsdlName: 'RespondingGateway', endpoint }]);
}
