/**
 * ITI-57 Update Document Set (XDS Metadata Update): the SubmitObjectsRequest describes new
 * versions and availabilityStatus changes; the codec reads them into an UpdateRequest and the
 * registry applies all of them or none.
 */
import { XDS_TRANSACTIONS } from '../actions';
import { xdsAudit } from '../audit';
import type { XdsHandler, XdsServices } from '../handler';
import { readUpdateRequest } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { outcomeOf, responseOf } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

export function updateDocumentSet(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const list = registryObjectListOf(requirePayload(request, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const audit = xdsAudit(services, 'ITI-57', call);
    let patientId: string | undefined;
    const outcome = await outcomeOf(async () => {
      const { request: update, warnings } = readUpdateRequest(list);
      patientId = update.submissionSet.patientId;
      const result = await services.registry.updateDocumentSet(update, call.principal, {
        // In the update's transaction: the change commits with its audit record or not at all.
        withinTransaction: (tx, r) => audit.record({
          status: 'Success',
          patientId: r.patientId,
          submissionSet: { uniqueId: update.submissionSet.uniqueId, entryUuid: r.submissionSet },
          documents: [...r.newVersions, ...r.statusChanges].filter((o) => o.kind === 'DocumentEntry').map((o) => ({ entryUuid: o.entryUuid })),
        }, tx),
      });
      return { status: 'Success', errors: [...warnings, ...result.warnings] };
    });
    if (outcome.status === 'Failure') await audit.record({ ...outcome, ...(patientId !== undefined ? { patientId } : {}) });
    return { action: XDS_TRANSACTIONS.update.response, body: [responseOf(outcome)] };
  };
}
