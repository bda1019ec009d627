/**
 * Read by id (`GET [base]/DocumentReference/<id>`, `GET [base]/List/<id>`). The id is
 * the entryUUID without `urn:uuid:`, as the mapping writes it; any version can be read.
 * A List id may name a SubmissionSet or a Folder. Patient scoping is the registry's.
 */
import type { Principal } from '../../../domain/principal';
import type { FhirResource } from '../mapping';
import type { SearchDeps } from './context';
import { documentsByIds, entryUuidOfId, foldersByIds, submissionSetsByIds } from './id-lookup';
import type { SearchResourceType } from './parameters';
import { RegistryReader } from './registry-reads';
import { toResources } from './resources';

export async function readResource(resourceType: SearchResourceType, id: string, deps: SearchDeps, principal: Principal): Promise<FhirResource | undefined> {
  const entryUuid = entryUuidOfId(id);
  if (!entryUuid) return undefined;
  const reader = new RegistryReader(deps.registry, principal);
  const criteria = { entryUuids: [entryUuid], uniqueIds: [] };
  const found =
    resourceType === 'DocumentReference'
      ? await documentsByIds(reader, criteria)
      : [...(await submissionSetsByIds(reader, criteria)), ...(await foldersByIds(reader, criteria))];
  const object = found.find((o) => o.entryUuid === entryUuid);
  if (!object) return undefined;
  const [resource] = await toResources([object], reader, deps.mapping);
  return resource;
}
