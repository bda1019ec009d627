/**
 * ITI-38 Cross Gateway Query, Responding Gateway side: ITI-18's AdhocQueryRequest from another
 * community, answered from this community's registry by the ITI-18 handler. Every returned
 * ExtrinsicObject, RegistryPackage and ObjectRef carries home = this community (the handler
 * writes it on objects that have none of their own); a query whose home names another
 * community is XDSUnknownCommunity (ITI TF-2b 3.38.4.1.3).
 */
import type { XdsTransaction } from '../../xds/actions';
import type { AuditedXdsHandler, XdsServices } from '../../xds/handler';
import { registryStoredQuery } from '../../xds/transactions/registry-stored-query';

export function crossGatewayQuery(services: XdsServices, transaction: XdsTransaction): AuditedXdsHandler {
  return registryStoredQuery(services, transaction, { crossCommunity: true });
}
