/**
 * ITI-18 at the XCA Initiating Gateway: a local Document Consumer's stored query, answered
 * from this community's registry and from every community of the directory (ITI-38, asked in
 * parallel by the fan-out), merged into one AdhocQueryResponse in which every object carries
 * its home. The AdhocQuery's home attribute limits the query to that one community (this one
 * included). Communities that cannot answer are XDSUnavailableCommunity errors located at
 * their homeCommunityId, with PartialSuccess while anything answered (ITI TF-2b 3.38.4.1.3).
 */
import type { Communities } from '../../communities/communities';
import type { RegistryObject } from '../../domain/metadata';
import { itemsStatus } from '../../domain/submission';
import type { StoredQueryResult } from '../../registry/stored-query-executor';
import { childNamed, el, serializeXml } from '../../soap';
import type { XdsTransaction } from '../../xds/actions';
import { readAdhocQueryRequest } from '../../xds/adhoc-query';
import { failedResponse } from '../../xds/audit';
import { registryObjectList } from '../../xds/ebrim';
import type { AuditedXdsHandler, XdsServices } from '../../xds/handler';
import { XDS_NS } from '../../xds/namespaces';
import { requirePayload } from '../../xds/payload';
import { rejectionOf } from '../../xds/registry-response';
import { requestedPatient, validateStoredQuery } from '../../xds/stored-query-request';
import { adhocQueryResponse, checkTransaction, objectRefList } from '../../xds/transactions/registry-stored-query';
import { callerIdentityOf } from './caller-identity';

const EMPTY: StoredQueryResult = { objects: [], refs: [], objectRefs: [], total: 0 };

export function initiatingStoredQuery(services: XdsServices, communities: Communities, transaction: XdsTransaction): AuditedXdsHandler {
  const local = services.registry.options.homeCommunityId;
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.query, 'AdhocQueryRequest');
    const text = serializeXml(childNamed(payload, XDS_NS.rim, 'AdhocQuery') ?? payload);
    call.audit.note({ query: { text } });
    try {
      const { homeCommunityId: home, ...adhoc } = readAdhocQueryRequest(payload);
      call.audit.note({ query: { text, storedQueryId: adhoc.queryId, ...(home !== undefined ? { homeCommunityId: home } : {}) } });
      checkTransaction(adhoc.queryId, transaction);
      const patient = requestedPatient(adhoc);
      if (patient !== undefined) call.audit.note({ patientId: patient });
      const query = validateStoredQuery(adhoc);
      const asksLocal = home === undefined || home === local;
      const [localResult, remote] = await Promise.all([
        // The registry records the consumer's search (ITI-18) before its result comes back.
        asksLocal ? services.registry.query(query, call.principal, { audit: call.audit }) : EMPTY,
        communities.fanOut.query({ requestId: request.addressing.messageId ?? crypto.randomUUID(), query, communities: home === undefined ? 'all' : [home], principal: call.principal, identity: callerIdentityOf(request) }),
      ]);
      // Asked of other communities only: the registry did not record it.
      if (!asksLocal) await call.audit.succeeded();
      const answered = (asksLocal ? 1 : 0) + remote.communities.filter((c) => c.outcome === 'answered').length;
      const status = itemsStatus(answered, remote.errors);
      const list = query.returnType === 'LeafClass'
        ? registryObjectList([...localResult.objects, ...remote.objects] as RegistryObject[], { returnType: 'LeafClass', homeCommunityId: local })
        : objectRefList([...localResult.objectRefs, ...remote.objectRefs], local);
      return { action: transaction.response, body: [adhocQueryResponse(status, remote.errors, list)] };
    } catch (err) {
      const errors = rejectionOf(err);
      await failedResponse(call, errors);
      return { action: transaction.response, body: [adhocQueryResponse('Failure', errors, el(XDS_NS.rim, 'rim:RegistryObjectList', {}))] };
    }
  };
}
