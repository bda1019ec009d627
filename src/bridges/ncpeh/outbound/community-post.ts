/**
 * The HTTP leg to a foreign NCP: the community directory's entry for its homeCommunityId gives
 * the mutual TLS settings (this NCP's client certificate, the NCP's CA) and the time budget, and
 * the XCA client's keep-alive agent per community is reused.
 */
import type { Community } from '../../../communities/community';
import { httpCall } from '../../../communities/http-call';
import type { HttpPost } from '../soap-exchange';

export function communityPost(community: Community): HttpPost {
  return async (url, body, headers) => {
    const res = await httpCall(community, url, { method: 'POST', headers, body, signal: AbortSignal.timeout(community.timeoutMs) });
    return { status: res.statusCode ?? 0, headers: res.headers, body: res };
  };
}
