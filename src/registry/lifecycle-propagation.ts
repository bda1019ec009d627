/**
 * Association propagation of a metadata update (ITI-57 default, AssociationPropagation=yes):
 * the new version of a document joins the approved folders that held the previous version;
 * the new version of a folder holds the approved documents the previous version held.
 */
import { AssociationType, AvailabilityStatus } from '../domain/metadata';
import { newEntryUuid } from './identifiers';
import type { PropagatedMembership, VersionedKind } from './lifecycle-types';
import type { RegistrySession } from './ports';
import { joinFoldersOf } from './relationships';

export async function propagateMemberships(
  tx: RegistrySession,
  kind: VersionedKind,
  previous: string,
  next: string,
  now: string,
): Promise<PropagatedMembership[]> {
  return kind === 'DocumentEntry' ? documentJoinsFolders(tx, previous, next, now) : folderKeepsDocuments(tx, previous, next);
}

async function documentJoinsFolders(tx: RegistrySession, previous: string, next: string, now: string): Promise<PropagatedMembership[]> {
  await joinFoldersOf(tx, [{ newDocument: next, original: previous }], now);
  const memberships = await tx.folderMembershipsOf(next);
  return memberships.map(({ association, folder }) => ({ association, folder, document: next }));
}

async function folderKeepsDocuments(tx: RegistrySession, previous: string, next: string): Promise<PropagatedMembership[]> {
  const documents = await tx.approvedDocumentsOf(previous);
  const memberships = documents.map((document) => ({ association: newEntryUuid(), folder: next, document }));
  await tx.insertObjects({
    associations: memberships.map((m) => ({
      entryUuid: m.association,
      type: AssociationType.HasMember,
      sourceId: m.folder,
      targetId: m.document,
      availabilityStatus: AvailabilityStatus.Approved,
    })),
  });
  return memberships;
}
