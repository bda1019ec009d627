/**
 * ITI-62 Delete Document Set (Remove Metadata): lcm:RemoveObjectsRequest naming registry
 * objects by entryUUID in rim:ObjectRefList; the registry deletes all of them or none.
 */
import type { DeletedObject } from '../../registry/lifecycle-types';
import { childNamed, childrenNamed, SoapFault } from '../../soap';
import { XDS_TRANSACTIONS } from '../actions';
import { xdsAudit } from '../audit';
import type { XdsHandler, XdsServices } from '../handler';
import { XDS_NS } from '../namespaces';
import { requireAttribute, requirePayload } from '../payload';
import { outcomeOf, responseOf } from '../registry-response';

/** The deleted objects' patient (associations carry none; a delete set names one patient). */
function patientOf(deleted: readonly DeletedObject[]): { patientId?: string } {
  const patientId = deleted.find((o) => o.patientId !== undefined)?.patientId;
  return patientId !== undefined ? { patientId } : {};
}

export function deleteDocumentSet(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.lcm, 'RemoveObjectsRequest');
    // ebRS also lets a RemoveObjectsRequest select objects by query; ITI-62 names them explicitly.
    if (childNamed(payload, XDS_NS.rim, 'AdhocQuery')) throw SoapFault.sender('ITI-62 names the objects in rim:ObjectRefList; rim:AdhocQuery is not accepted');
    const list = childNamed(payload, XDS_NS.rim, 'ObjectRefList');
    const ids = (list ? childrenNamed(list, XDS_NS.rim, 'ObjectRef') : []).map((r) => requireAttribute(r, 'id'));
    if (ids.length === 0) throw SoapFault.sender('lcm:RemoveObjectsRequest names no rim:ObjectRef');
    const audit = xdsAudit(services, 'ITI-62', call);
    const outcome = await outcomeOf(async () => {
      await services.registry.deleteObjects(ids, call.principal, {
        // In the deletion's transaction: the objects go with their audit record or not at all.
        withinTransaction: (tx, r) => audit.record({
          status: 'Success',
          ...patientOf(r.deleted),
          documents: r.deleted.filter((o) => o.kind === 'DocumentEntry').map((o) => ({ entryUuid: o.entryUuid })),
        }, tx),
      });
      return { status: 'Success', errors: [] };
    });
    // Nothing was deleted, so no object tells the patient; the errors (in outcomeDesc) name the objects.
    if (outcome.status === 'Failure') await audit.record(outcome);
    return { action: XDS_TRANSACTIONS.delete.response, body: [responseOf(outcome)] };
  };
}
