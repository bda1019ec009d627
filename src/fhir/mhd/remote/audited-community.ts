/** A remote community as an audit record names it: its homeCommunityId, the endpoint called and that endpoint's host. */
import type { AuditRemote } from '../../../audit/audit-input';
import type { Community } from '../../../communities/community';

export function auditedCommunity(community: Pick<Community, 'homeCommunityId' | 'xca' | 'mhd' | 'ehdsi'> | undefined, homeCommunityId?: string): AuditRemote {
  const endpoint = community?.xca?.retrieveUrl ?? community?.mhd?.baseUrl;
  const id = community?.homeCommunityId ?? homeCommunityId ?? 'unknown';
  return { endpoint: endpoint ?? id, homeCommunityId: id, ...(endpoint ? { address: new URL(endpoint).hostname } : {}), ...(community?.ehdsi ? { country: community.ehdsi.country } : {}) };
}
