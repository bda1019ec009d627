/**
 * ITI-57 Update Document Set (XDS Metadata Update): the SubmitObjectsRequest describes new
 * versions and availabilityStatus changes; the codec reads them into an UpdateRequest and the
 * registry applies all of them or none.
 */
import { ITI_57 } from '../../transactions';
import { failedResponse } from '../audit';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { readUpdateRequest } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { outcomeOf, responseOf } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

export function updateDocumentSet(services: XdsServices): AuditedXdsHandler {
  return async (request, call) => {
    const list = registryObjectListOf(requirePayload(request, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const outcome = await outcomeOf(async () => {
      const { request: update, warnings } = readUpdateRequest(list);
      const result = await services.registry.updateDocumentSet(update, call.principal, { audit: call.audit });
      return { status: 'Success', errors: [...warnings, ...result.warnings] };
    });
    if (outcome.status === 'Failure') await failedResponse(call, outcome.errors);
    return { action: ITI_57.soap.response, body: [responseOf(outcome)] };
  };
}
