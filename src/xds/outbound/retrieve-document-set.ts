/**
 * ITI-43's RetrieveDocumentSetRequest as a Document Consumer or Initiating Gateway sends it
 * (ITI-39 is the same message), and the RetrieveDocumentSetResponse read back: each
 * DocumentResponse's ids and its bytes as a stream from the MTOM part (never buffered here).
 */
import type { Element } from '@xmldom/xmldom';
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { ResponseStatus } from '../../domain/submission';
import { childrenNamed, el, type InboundSoapMessage, type XmlElementSpec } from '../../soap';
import { XDS_NS } from '../namespaces';
import { optionalChildText, requireChild, requireChildText } from '../payload';
import { readRegistryResponse } from '../registry-response';
import type { Readable } from 'node:stream';

export interface OutboundDocumentRequest {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
}

export function retrieveDocumentSetRequest(documents: readonly OutboundDocumentRequest[]): XmlElementSpec {
  const text = (local: string, value: string) => el(XDS_NS.xdsb, `xdsb:${local}`, {}, value);
  return el(XDS_NS.xdsb, 'xdsb:RetrieveDocumentSetRequest', {},
    ...documents.map((d) => el(XDS_NS.xdsb, 'xdsb:DocumentRequest', {},
      d.homeCommunityId !== undefined && text('HomeCommunityId', d.homeCommunityId),
      text('RepositoryUniqueId', d.repositoryUniqueId),
      text('DocumentUniqueId', d.documentUniqueId),
    )),
  );
}

export interface ReceivedDocument extends OutboundDocumentRequest {
  mimeType: string;
  open(): Readable;
}

export interface RetrieveAnswer {
  status: ResponseStatus;
  errors: RegistryErrorDetail[];
  documents: ReceivedDocument[];
}

/** @throws SoapFault (Sender) for a response missing its RegistryResponse or a DocumentResponse's required parts */
export function readRetrieveDocumentSetResponse(response: Element, message: Pick<InboundSoapMessage, 'binary'>): RetrieveAnswer {
  const { status, errors } = readRegistryResponse(requireChild(response, XDS_NS.rs, 'RegistryResponse'));
  const documents = childrenNamed(response, XDS_NS.xdsb, 'DocumentResponse').map((d): ReceivedDocument => {
    const home = optionalChildText(d, XDS_NS.xdsb, 'HomeCommunityId');
    const content = message.binary(requireChild(d, XDS_NS.xdsb, 'Document'));
    return {
      ...(home !== undefined ? { homeCommunityId: home } : {}),
      repositoryUniqueId: requireChildText(d, XDS_NS.xdsb, 'RepositoryUniqueId'),
      documentUniqueId: requireChildText(d, XDS_NS.xdsb, 'DocumentUniqueId'),
      mimeType: optionalChildText(d, XDS_NS.xdsb, 'mimeType') ?? content.contentType ?? 'application/octet-stream',
      open: () => content.open(),
    };
  });
  return { status, errors, documents };
}

