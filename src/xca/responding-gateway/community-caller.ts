/**
 * With AUTH=on, a Responding Gateway answers only a caller that is an authenticated community:
 * one whose XUA assertion (urn:ihe:iti:xca:2010:homeCommunityId) or IUA token
 * (home_community_id) names its community, or another gateway authenticated by its client
 * certificate over mutual TLS. Anyone else (a user's plain token, say) is refused like any
 * caller without the grant (WS-Security FailedAuthentication).
 */
import { AccessDeniedError } from '../../domain/access-denied';
import type { AuditedXdsHandler } from '../../xds/handler';

export function fromCommunity(handler: AuditedXdsHandler, required: boolean): AuditedXdsHandler {
  if (!required) return handler;
  return async (request, call) => {
    const { principal } = call;
    if (principal.homeCommunityId === undefined && principal.authenticatedBy !== 'certificate') {
      throw new AccessDeniedError(`cross-community requests need a community: ${principal.subject} names none (XUA homeCommunityId, IUA home_community_id or a gateway's client certificate)`);
    }
    return handler(request, call);
  };
}
