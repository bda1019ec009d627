/**
 * A page of registry objects as MHD resources: DocumentEntries as DocumentReferences with
 * relatesTo, SubmissionSets and Folders as Lists with their members as List.entry. The
 * associations of the whole page come with the page when the search could read them in the
 * same statement, else in one query (plus one or two to tell the kinds of SubmissionSet
 * members), never one per resource.
 */
import { AssociationType, type Association, type RegistryObject } from '../../../domain/metadata';
import type { FhirResource, ListMember, MhdMapping } from '../mapping';
import { registryQuery, type RegistryReader } from './registry-reads';

function isAssociation(o: RegistryObject): o is RegistryObject & { kind: 'Association' } {
  return o.kind === 'Association';
}

/** Associations with a page object as source (relationships and HasMember): the only ones a resource maps. */
async function associationsOf(reader: RegistryReader, uuids: string[]): Promise<Association[]> {
  if (uuids.length === 0) return [];
  const { objects } = await reader.all(registryQuery('GetAssociations', { uuids }));
  const sources = new Set(uuids);
  return objects.filter(isAssociation).filter((a) => sources.has(a.sourceId));
}

/** entryUUIDs among `ids` that a Get… query finds (ObjectRef), i.e. objects of that query's kind. */
async function existing(reader: RegistryReader, kind: 'documents' | 'folders', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const byEntryUuid = { by: 'entryUuid' as const, values: ids };
  const query =
    kind === 'documents'
      ? registryQuery('GetDocuments', { documentIds: byEntryUuid, metadataLevel: 2 }, 'ObjectRef')
      : registryQuery('GetFolders', { folderIds: byEntryUuid, metadataLevel: 2 }, 'ObjectRef');
  const { refs } = await reader.all(query);
  return new Set(refs);
}

/**
 * SubmissionSet members are DocumentEntries, Folders or Associations (a document added to
 * a folder); a List can show only the first two, and the HasMember association does not
 * say which its target is.
 */
async function memberKinds(reader: RegistryReader, targets: string[]): Promise<Map<string, ListMember['kind']>> {
  const [documents, folders] = await Promise.all([
    existing(reader, 'documents', targets),
    existing(reader, 'folders', targets),
  ]);
  const kinds = new Map<string, ListMember['kind']>();
  for (const id of documents) kinds.set(id, 'DocumentEntry');
  for (const id of folders) kinds.set(id, 'Folder');
  return kinds;
}

/** `outgoing`: the page's associations as source, when the search already read them. */
export async function toResources(objects: readonly RegistryObject[], reader: RegistryReader, mapping: MhdMapping, outgoing?: readonly Association[]): Promise<FhirResource[]> {
  const associations = outgoing ?? (await associationsOf(reader, objects.map((o) => o.entryUuid)));
  const members = new Map<string, string[]>();
  for (const a of associations) {
    if (a.type === AssociationType.HasMember) members.set(a.sourceId, [...(members.get(a.sourceId) ?? []), a.targetId]);
  }
  const setMembers = objects.filter((o) => o.kind === 'SubmissionSet').flatMap((o) => members.get(o.entryUuid) ?? []);
  const kinds = setMembers.length ? await memberKinds(reader, setMembers) : new Map<string, ListMember['kind']>();

  return objects.flatMap((o): FhirResource[] => {
    switch (o.kind) {
      case 'DocumentEntry':
        return [mapping.documentReference(o, associations)];
      case 'Folder':
        // A Folder's members are DocumentEntries (ITI TF-3 4.1.8).
        return [mapping.folderList(o, members.get(o.entryUuid) ?? [])];
      case 'SubmissionSet': {
        const list = (members.get(o.entryUuid) ?? []).flatMap((id): ListMember[] => {
          const kind = kinds.get(id);
          return kind ? [{ kind, entryUuid: id }] : [];
        });
        return [mapping.submissionSetList(o, list)];
      }
      case 'Association':
        return [];
    }
  });
}
