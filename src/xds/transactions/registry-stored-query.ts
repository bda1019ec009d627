/**
 * ITI-18 Registry Stored Query and ITI-51 Multi-Patient Stored Query (the same message, another
 * set of query ids), and XCA's ITI-38 Cross Gateway Query (ITI-18's message from another community): AdhocQueryRequest -> registry.query -> AdhocQueryResponse with the
 * rim:RegistryObjectList (full objects for LeafClass, rim:ObjectRef for ObjectRef). Every
 * rejection (unknown query, missing or repeated parameter, malformed value, too many results)
 * is a Failure response with its RegistryError; rim:RegistryObjectList is then empty, as the
 * response schema requires it.
 */
import { XdsErrorCode } from '../../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../domain/registry-error';
import { querySpecById, type StoredQueryName } from '../../domain/stored-queries';
import type { ResponseStatus } from '../../domain/submission';
import type { StoredQueryResult } from '../../registry/stored-query-executor';
import { childNamed, el, serializeXml, type XmlContent, type XmlElementSpec } from '../../soap';
import type { XdsTransaction } from '../actions';
import { readAdhocQueryRequest } from '../adhoc-query';
import { failedResponse } from '../audit';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { registryObjectList } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { registryResponseContent, rejectionOf } from '../registry-response';
import { requestedPatient, validateStoredQuery, type StoredQueryRequest } from '../stored-query-request';

export function adhocQueryResponse(status: ResponseStatus, errors: readonly RegistryErrorDetail[], list: XmlElementSpec): XmlContent {
  const content = registryResponseContent(status, errors);
  return el(XDS_NS.query, 'query:AdhocQueryResponse', { status: content.status }, content.errorList, list);
}

/**
 * The result as rim:RegistryObjectList. For ObjectRef the registry reads no metadata and returns
 * only ids (objectRefs, objects empty), so the references are written from those.
 */
function resultList(result: StoredQueryResult, returnType: string, homeCommunityId: string): XmlElementSpec {
  if (returnType === 'LeafClass') return registryObjectList(result.objects, { returnType: 'LeafClass', homeCommunityId });
  return objectRefList(result.objectRefs, homeCommunityId);
}

/** rim:RegistryObjectList of rim:ObjectRef, each with its home (`homeCommunityId` for those without one). */
export function objectRefList(refs: ReadonlyArray<{ id: string; homeCommunityId?: string }>, homeCommunityId: string): XmlElementSpec {
  return el(XDS_NS.rim, 'rim:RegistryObjectList', {}, ...refs.map((r) => el(XDS_NS.rim, 'rim:ObjectRef', { id: r.id, home: r.homeCommunityId ?? homeCommunityId })));
}

/** The stored queries of ITI-51; every other query the registry knows is an ITI-18 one. */
export const MULTI_PATIENT_QUERIES: ReadonlySet<StoredQueryName> = new Set(['FindDocumentsForMultiplePatients', 'FindFoldersForMultiplePatients']);

/**
 * A query of the other transaction is unknown to this one: a Document Consumer may not widen
 * ITI-18 to several patients by naming an ITI-51 query (nor the reverse).
 */
export function checkTransaction(queryId: string, transaction: XdsTransaction): void {
  const spec = querySpecById(queryId);
  if (spec && MULTI_PATIENT_QUERIES.has(spec.name) !== (transaction.id === 'ITI-51')) {
    throw RegistryError.of(XdsErrorCode.XDSUnknownStoredQuery, `${spec.name} (${queryId}) is not a stored query of ${transaction.id}`, queryId);
  }
}

/** `crossCommunity`: ITI-38, see QueryCall (the registry refuses a query for another community). */
export function registryStoredQuery(services: XdsServices, transaction: XdsTransaction, options: { crossCommunity?: boolean } = {}): AuditedXdsHandler {
  const homeCommunityId = services.registry.options.homeCommunityId;
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.query, 'AdhocQueryRequest');
    const adhocQuery = childNamed(payload, XDS_NS.rim, 'AdhocQuery');
    let query: StoredQueryRequest | undefined;
    let body: XmlContent;
    call.audit.note({ query: { text: serializeXml(adhocQuery ?? payload) } });
    try {
      query = readAdhocQueryRequest(payload);
      call.audit.note({ query: { text: serializeXml(adhocQuery ?? payload), storedQueryId: query.queryId, ...(query.homeCommunityId !== undefined ? { homeCommunityId: query.homeCommunityId } : {}) } });
      checkTransaction(query.queryId, transaction);
      const patientId = requestedPatient(query);
      if (patientId !== undefined) call.audit.note({ patientId });
      const typed = validateStoredQuery(query);
      // The registry records the search before its result comes back.
      const result = await services.registry.query(typed, call.principal, { audit: call.audit, ...(options.crossCommunity ? { crossCommunity: true } : {}) });
      body = adhocQueryResponse('Success', [], resultList(result, query.returnType, homeCommunityId));
    } catch (err) {
      const errors = rejectionOf(err);
      body = adhocQueryResponse('Failure', errors, el(XDS_NS.rim, 'rim:RegistryObjectList', {}));
      await failedResponse(call, errors);
    }
    return { action: transaction.response, body: [body] };
  };
}
