/**
 * xdsb:DocumentRequest lists: the documents an ITI-43 Retrieve Document Set asks for and an
 * ITI-86 Remove Documents removes, both spelled with the XDS.b DocumentRequest type.
 */
import type { Element } from '@xmldom/xmldom';
import type { DocumentReference } from '../repository/repository-service';
import { childrenNamed, SoapFault } from '../soap';
import { XDS_NS } from './namespaces';
import { optionalChildText, requireChildText } from './payload';

export interface DocumentRequest extends DocumentReference {
  homeCommunityId?: string;
}

/** Every xdsb:DocumentRequest child of `parent`; at least one is required (Sender fault otherwise). */
export function readDocumentRequests(parent: Element, limit: number): DocumentRequest[] {
  const elements = childrenNamed(parent, XDS_NS.xdsb, 'DocumentRequest');
  if (elements.length === 0) throw SoapFault.sender(`<${parent.nodeName}> names no xdsb:DocumentRequest`);
  if (elements.length > limit) throw SoapFault.sender(`<${parent.nodeName}> names ${elements.length} documents; at most ${limit} are accepted in one request`);
  return elements.map((e) => {
    const homeCommunityId = optionalChildText(e, XDS_NS.xdsb, 'HomeCommunityId');
    return {
      ...(homeCommunityId !== undefined ? { homeCommunityId } : {}),
      repositoryUniqueId: requireChildText(e, XDS_NS.xdsb, 'RepositoryUniqueId'),
      documentUniqueId: requireChildText(e, XDS_NS.xdsb, 'DocumentUniqueId'),
    };
  });
}
