/**
 * ITI-18 request: query:AdhocQueryRequest -> its parameters (StoredQueryRequest), which
 * stored-query-request.ts turns into the registry's typed query.
 *
 *   <query:AdhocQueryRequest>
 *     <query:ResponseOption returnType="LeafClass|ObjectRef" returnComposedObjects="true"/>
 *     <rim:AdhocQuery id="urn:uuid:<stored query id>" home="urn:oid:...">
 *       <rim:Slot name="$XDSDocumentEntryPatientId"><rim:ValueList><rim:Value>'...'</rim:Value></rim:ValueList></rim:Slot>
 *       ...
 */
import type { Element } from '@xmldom/xmldom';
import type { ReturnType } from '../domain/stored-queries';
import { childNamed, childrenNamed, simpleText, SoapFault } from '../soap';
import { withCodeKeys } from './coded-values';
import { XDS_NS } from './namespaces';
import { requireAttribute, requireChild } from './payload';
import { parseSlotValues } from './slot-values';
import type { StoredQueryRequest } from './stored-query-request';

/** rim:Value texts of a rim:Slot (its rim:ValueList children). */
function slotValueTexts(slot: Element): string[] {
  const list = childNamed(slot, XDS_NS.rim, 'ValueList');
  return (list ? childrenNamed(list, XDS_NS.rim, 'Value') : []).map((v) => {
    const text = simpleText(v);
    if (text === undefined) throw SoapFault.sender('rim:Value must hold text only');
    return text;
  });
}

/**
 * Reads the request. Structure errors (no ResponseOption, no AdhocQuery or id) are Sender
 * faults; parameter values that break the ITI-18 syntax throw RegistryError (XDSRegistryError).
 * The returnType is passed on as given: the registry refuses what it does not support.
 */
export function readAdhocQueryRequest(request: Element): StoredQueryRequest {
  const option = requireChild(request, XDS_NS.query, 'ResponseOption');
  const query = requireChild(request, XDS_NS.rim, 'AdhocQuery');
  const params: Record<string, string[][]> = {};
  for (const slot of childrenNamed(query, XDS_NS.rim, 'Slot')) {
    const name = requireAttribute(slot, 'name');
    (params[name] ??= []).push(parseSlotValues(name, slotValueTexts(slot)));
  }
  const home = query.getAttribute('home')?.trim();
  const queryId = requireAttribute(query, 'id');
  return {
    queryId,
    // ebRS 3.0 defaults returnType to RegistryObject, which no XDS registry returns; the registry says so.
    returnType: (option.getAttribute('returnType')?.trim() || 'RegistryObject') as ReturnType,
    params: withCodeKeys(queryId, params),
    ...(home ? { homeCommunityId: home } : {}),
  };
}
