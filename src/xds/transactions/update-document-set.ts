/**
 * ITI-57 Update Document Set (XDS Metadata Update): the SubmitObjectsRequest describes new
 * versions and availabilityStatus changes; the codec reads them into an UpdateRequest and the
 * registry applies all of them or none.
 */
import { XDS_TRANSACTIONS } from '../actions';
import type { XdsHandler, XdsServices } from '../handler';
import { readUpdateRequest } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { registryResponseOf } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

export function updateDocumentSet(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const list = registryObjectListOf(requirePayload(request, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const response = await registryResponseOf(async () => {
      const { request: update, warnings } = readUpdateRequest(list);
      const result = await services.registry.updateDocumentSet(update, call.principal);
      return { status: 'Success', errors: [...warnings, ...result.warnings] };
    });
    return { action: XDS_TRANSACTIONS.update.response, body: [response] };
  };
}
