/**
 * The community port by what the directory gives each community: a foreign country's NCP
 * (`ehdsi` entry) through the eHDSI transport (XCA with this NCP's HCP + TRC assertions), XCA
 * (ITI-38/39) where it has XCA endpoints and this process has an XCA transport, its MHD server
 * otherwise. An NCP is never called without the eHDSI assertions.
 */
import type { Community } from '../communities/community';
import { CommunityCallError, type CallerIdentity, type CommunityTransport, type RemoteDocumentRequest } from '../communities/ports';
import type { StoredQuery } from '../domain/stored-queries';

export class EndpointTransport implements CommunityTransport {
  constructor(private readonly by: { xca?: CommunityTransport; mhd?: CommunityTransport; ehdsi?: CommunityTransport }) {}

  private pick(community: Community): CommunityTransport {
    if (community.ehdsi) {
      if (this.by.ehdsi) return this.by.ehdsi;
      throw new CommunityCallError(`community ${community.homeCommunityId} is a foreign NCP, and this gateway issues no eHDSI assertions (NCPEH_SIGNING_CERT_FILE unset)`, false);
    }
    if (community.xca && this.by.xca) return this.by.xca;
    if (community.mhd && this.by.mhd) return this.by.mhd;
    throw new CommunityCallError(`community ${community.homeCommunityId} has no endpoint this gateway can call`, false);
  }

  // async: a community no transport can call is a rejected call, as the port promises, not a throw.
  async query(community: Community, query: StoredQuery, identity: CallerIdentity, signal: AbortSignal) {
    return this.pick(community).query(community, query, identity, signal);
  }

  async retrieve(community: Community, documents: readonly RemoteDocumentRequest[], identity: CallerIdentity, signal: AbortSignal) {
    return this.pick(community).retrieve(community, documents, identity, signal);
  }
}
