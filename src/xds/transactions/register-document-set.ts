/**
 * ITI-42 Register Document Set-b: metadata only; the Document Source's repository already
 * stored the bytes, so hash, size and repositoryUniqueId are required (requireRepositoryFields).
 */
import { ITI_42 } from '../../transactions';
import { failedResponse } from '../audit';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { readSubmission } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { outcomeOf, responseOf, withWarnings } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

export function registerDocumentSet(services: XdsServices): AuditedXdsHandler {
  return async (request, call) => {
    const list = registryObjectListOf(requirePayload(request, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const outcome = await outcomeOf(async () => {
      const { submission, warnings } = readSubmission(list);
      return withWarnings(await services.registry.submit(submission, call.principal, { requireRepositoryFields: true, audit: call.audit }), warnings);
    });
    if (outcome.status === 'Failure') await failedResponse(call, outcome.errors);
    return { action: ITI_42.soap.response, body: [responseOf(outcome)] };
  };
}
