/**
 * Reading and writing the MHD extensions on DocumentReference and List, and the
 * homeCommunityId, which travels in two spellings: IHE's ihe-HomeCommunityId (valueOid,
 * MHD 4.2.4 CP) and the Czech HIE guide's cz-mhd-home-community-id (valueIdentifier).
 * Both are written so either kind of consumer finds it; either is read.
 */
import { isOid } from '../../../domain/hl7v2';
import { Extensions, URI_SYSTEM } from './canonicals';
import type { Extension, ResourceBase } from './fhir-types';
import { at, item, type Problems } from './problems';

/** The extensions of a resource with a given url, with their index in `extension` (for error paths). */
export function extensionsOf(resource: ResourceBase, url: string): Array<{ extension: Extension; index: number }> {
  const list = Array.isArray(resource.extension) ? resource.extension : [];
  return list.flatMap((extension, index) => (extension && typeof extension === 'object' && extension.url === url ? [{ extension, index }] : []));
}

export function homeCommunityIdExtensions(homeCommunityId: string | undefined): Extension[] {
  if (!homeCommunityId) return [];
  return [
    { url: Extensions.homeCommunityId, valueOid: homeCommunityId },
    { url: Extensions.czHomeCommunityId, valueIdentifier: { system: URI_SYSTEM, value: homeCommunityId } },
  ];
}

export function readHomeCommunityId(resource: ResourceBase, path: string, problems: Problems): string | undefined {
  const found = [...extensionsOf(resource, Extensions.homeCommunityId), ...extensionsOf(resource, Extensions.czHomeCommunityId)][0];
  if (!found) return undefined;
  const value = found.extension.valueOid ?? found.extension.valueIdentifier?.value;
  if (typeof value === 'string' && value.startsWith('urn:oid:') && isOid(value.slice(8))) return value;
  problems.error(at(item(at(path, 'extension'), found.index), 'value[x]'), 'homeCommunityId must be urn:oid:<OID>');
  return undefined;
}
