/**
 * ITI-42 Register Document Set-b: metadata only; the Document Source's repository already
 * stored the bytes, so hash, size and repositoryUniqueId are required (requireRepositoryFields).
 */
import { XDS_TRANSACTIONS } from '../actions';
import { auditedSubmission } from '../audit';
import type { XdsHandler, XdsServices } from '../handler';
import { readSubmission } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requirePayload } from '../payload';
import { responseOf } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

export function registerDocumentSet(services: XdsServices): XdsHandler {
  return async (request, call) => {
    const list = registryObjectListOf(requirePayload(request, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const outcome = await auditedSubmission(services, 'ITI-42', call, () => readSubmission(list), (submission, extraRows) =>
      services.registry.submit(submission, call.principal, { requireRepositoryFields: true, extraRows }));
    return { action: XDS_TRANSACTIONS.register.response, body: [responseOf(outcome)] };
  };
}
