/**
 * A query:AdhocQueryResponse another registry or Responding Gateway sent: its status, its
 * RegistryErrorList, and its RegistryObjectList as domain objects (LeafClass) or references
 * (ObjectRef). Metadata we cannot read is reported as a warning on the object, not a failure
 * of the whole answer: the rest of it is still the community's answer.
 */
import type { Element } from '@xmldom/xmldom';
import { XdsErrorCode } from '../../domain/error-codes';
import type { RegistryObject } from '../../domain/metadata';
import type { RegistryErrorDetail } from '../../domain/registry-error';
import type { ResponseStatus } from '../../domain/submission';
import { childNamed, childrenNamed } from '../../soap';
import { Problems, readRegistryObjects } from '../ebrim';
import { XDS_NS } from '../namespaces';
import { readRegistryResponse } from '../registry-response';

export interface QueryAnswer {
  status: ResponseStatus;
  objects: RegistryObject[];
  objectRefs: Array<{ id: string; homeCommunityId?: string }>;
  errors: RegistryErrorDetail[];
}

export function readAdhocQueryResponse(response: Element): QueryAnswer {
  const { status, errors } = readRegistryResponse(response);
  const list = childNamed(response, XDS_NS.rim, 'RegistryObjectList');
  if (!list) return { status, objects: [], objectRefs: [], errors };
  const problems = new Problems();
  const objects = readRegistryObjects(list, problems);
  const objectRefs = childrenNamed(list, XDS_NS.rim, 'ObjectRef').flatMap((r) => {
    const id = r.getAttribute('id')?.trim();
    const home = r.getAttribute('home')?.trim();
    return id ? [{ id, ...(home ? { homeCommunityId: home } : {}) }] : [];
  });
  const unreadable = problems.errors.map((p): RegistryErrorDetail => ({ code: XdsErrorCode.XDSRegistryError, severity: 'Warning', context: `unreadable metadata in the answer: ${p.context}`, ...(p.location ? { location: p.location } : {}) }));
  return { status, objects, objectRefs, errors: [...errors, ...unreadable] };
}
