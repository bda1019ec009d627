// The XCA messages the tests send to /xca/responding-gateway: ITI-38 (an ITI-18 stored query
// with XCA's action and a home attribute) and ITI-39 (DocumentRequests with HomeCommunityId).
import { xml } from '../xds/support/fixtures';
import { documentRequests, sendFixture } from '../xds/support/messages';
import type { SendOptions, SoapReply } from '../xds/support/soap-client';

/** ITI-38 of any stored query asked of `home`. */
export function crossGatewayQuery(baseUrl: string, home: string, queryId: string, returnType: string, slots: string[], opts: SendOptions = {}): Promise<SoapReply> {
  return sendFixture(baseUrl, 'respondingGateway', 'iti38-cross-gateway-query.xml', { HOME: home, QUERY_ID: queryId, RETURN_TYPE: returnType, SLOTS: xml(slots.join('\n        ')) }, opts);
}

export interface CrossGatewayDocument {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
}

/** ITI-39 of the documents, each naming its community. */
export function crossGatewayRetrieve(baseUrl: string, documents: CrossGatewayDocument[], opts: SendOptions = {}): Promise<SoapReply> {
  return sendFixture(baseUrl, 'respondingGateway', 'iti39-cross-gateway-retrieve.xml', { DOCUMENT_REQUESTS: documentRequests(documents) }, opts);
}
