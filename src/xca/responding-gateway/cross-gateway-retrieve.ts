/**
 * ITI-39 Cross Gateway Retrieve, Responding Gateway side: ITI-43's RetrieveDocumentSetRequest
 * from another community, answered from this community's repository by the ITI-43 handler. Each
 * DocumentRequest must name this community: one naming another is XDSUnknownCommunity, one naming
 * none XDSMissingHomeCommunityId, each on its own, so a mix answers PartialSuccess; every
 * DocumentResponse echoes its HomeCommunityId (ITI TF-2b 3.39.4.2.2).
 */
import type { XdsTransaction } from '../../xds/actions';
import type { AuditedXdsHandler, XdsServices } from '../../xds/handler';
import { retrieveDocumentSet } from '../../xds/transactions/retrieve-document-set';

export function crossGatewayRetrieve(services: XdsServices, transaction: XdsTransaction): AuditedXdsHandler {
  return retrieveDocumentSet(services, transaction, { crossCommunity: true });
}
