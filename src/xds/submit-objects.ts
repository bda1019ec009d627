/**
 * lcm:SubmitObjectsRequest, the metadata of ITI-41, ITI-42 and ITI-57: its rim:RegistryObjectList
 * goes to the ebRIM codec, which turns it into the domain Submission (or an UpdateRequest).
 */
import type { Element } from '@xmldom/xmldom';
import { XDS_NS } from './namespaces';
import { requireChild } from './payload';

export function registryObjectListOf(submitObjectsRequest: Element): Element {
  return requireChild(submitObjectsRequest, XDS_NS.rim, 'RegistryObjectList');
}
