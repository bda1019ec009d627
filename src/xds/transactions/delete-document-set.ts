/**
 * ITI-62 Delete Document Set (Remove Metadata): lcm:RemoveObjectsRequest naming registry
 * objects by entryUUID in rim:ObjectRefList; the registry deletes all of them or none.
 */
import { childNamed, childrenNamed, SoapFault } from '../../soap';
import { ITI_62 } from '../../transactions';
import { failedResponse } from '../audit';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requireAttribute, requirePayload } from '../payload';
import { outcomeOf, responseOf } from '../registry-response';

export function deleteDocumentSet(services: XdsServices): AuditedXdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.lcm, 'RemoveObjectsRequest');
    // ebRS also lets a RemoveObjectsRequest select objects by query; ITI-62 names them explicitly.
    if (childNamed(payload, XDS_NS.rim, 'AdhocQuery')) throw SoapFault.sender('ITI-62 names the objects in rim:ObjectRefList; rim:AdhocQuery is not accepted');
    const list = childNamed(payload, XDS_NS.rim, 'ObjectRefList');
    const ids = (list ? childrenNamed(list, XDS_NS.rim, 'ObjectRef') : []).map((r) => requireAttribute(r, 'id'));
    if (ids.length === 0) throw SoapFault.sender('lcm:RemoveObjectsRequest names no rim:ObjectRef');
    const outcome = await outcomeOf(async () => {
      await services.registry.deleteObjects(ids, call.principal, { audit: call.audit });
      return { status: 'Success', errors: [] };
    });
    if (outcome.status === 'Failure') await failedResponse(call, outcome.errors);
    return { action: ITI_62.soap.response, body: [responseOf(outcome)] };
  };
}
