/**
 * ITI-41 Provide and Register Document Set-b: the metadata goes through the ebRIM codec, each
 * xdsb:Document (an MTOM part by xop:Include, or inline base64) is handed to provideAndRegister
 * as a stream, which stores one document at a time straight from the request into the blob
 * store, then registers everything in one transaction. No document is ever held whole here.
 *
 * Pairing of documents and DocumentEntries (XDSMissingDocument, XDSMissingDocumentMetadata),
 * hash and size checks (XDSRepositoryMetadataError) and every registry rule live in the core.
 * Before the core commits, the rest of the MTOM body is read: a truncated body or a repeated
 * Content-ID is a Sender fault, and a part no xdsb:Document includes is XDSMissingDocumentMetadata,
 * which ITI TF-3 Table 4.2.4.1-2 defines as "MIME package contains MIME part with Content-Id
 * header not found in metadata".
 */
import type { Element } from '@xmldom/xmldom';
import { XdsErrorCode } from '../../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../domain/registry-error';
import { provideAndRegister as provideAndRegisterCore, type DocumentContent } from '../../repository/provide-and-register';
import { childrenNamed, describePart, type SoapRequest } from '../../soap';
import { ITI_41 } from '../../transactions';
import { failedResponse } from '../audit';
import type { AuditedXdsHandler, XdsServices } from '../handler';
import { readSubmission } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { requireAttribute, requireChild, requirePayload } from '../payload';
import { outcomeOf, responseOf, withWarnings } from '../registry-response';
import { registryObjectListOf } from '../submit-objects';

/**
 * One stream per xdsb:Document. Opening an MTOM part only claims it: its bytes are read when
 * provideAndRegister consumes the stream, so parts flow from the socket to disk in turn.
 */
function documentContents(request: SoapRequest, documents: Element[]): DocumentContent[] {
  const seen = new Set<string>();
  return documents.map((d) => {
    const id = requireAttribute(d, 'id');
    if (seen.has(id)) throw RegistryError.of(XdsErrorCode.XDSRepositoryMetadataError, `more than one xdsb:Document has id ${id}`, id);
    seen.add(id);
    return { entryUuid: id, source: request.message.binary(d).open() };
  });
}

/** The rest of the MTOM body, read and checked; each part no xop:Include names is an error. */
async function unreferencedParts(request: SoapRequest): Promise<RegistryErrorDetail[]> {
  const parts = await request.message.complete();
  return parts.map((p) => ({
    code: XdsErrorCode.XDSMissingDocumentMetadata,
    severity: 'Error',
    context: `MIME part ${describePart(p)} is included by no xdsb:Document, so no DocumentEntry describes it`,
    ...(p.contentId !== undefined ? { location: p.contentId } : {}),
  }));
}

export function provideAndRegisterDocumentSet(services: XdsServices): AuditedXdsHandler {
  return async (request, call) => {
    const payload = requirePayload(request, XDS_NS.xdsb, 'ProvideAndRegisterDocumentSetRequest');
    const list = registryObjectListOf(requireChild(payload, XDS_NS.lcm, 'SubmitObjectsRequest'));
    const documents = childrenNamed(payload, XDS_NS.xdsb, 'Document');
    const outcome = await outcomeOf(async () => {
      const { submission, warnings } = readSubmission(list);
      return withWarnings(await provideAndRegisterCore(services, submission, documentContents(request, documents), call.principal, {
        audit: call.audit,
        completeRequest: () => unreferencedParts(request),
      }), warnings);
    });
    if (outcome.status === 'Failure') await failedResponse(call, outcome.errors);
    return { action: ITI_41.soap.response, body: [responseOf(outcome)] };
  };
}
