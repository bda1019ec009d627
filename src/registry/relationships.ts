/** Side effects of registering relationships and folder memberships (ITI TF-3 4.2.2). */
import { AssociationType, AvailabilityStatus } from '../domain/metadata';
import { newEntryUuid } from './identifiers';
import type { RegistrySession } from './ports';

/**
 * Deprecates replaced documents. Addenda (APND) and transformations (XFRM) of a replaced
 * document describe the old version, so they are deprecated with it.
 */
export async function deprecateReplaced(tx: RegistrySession, originals: string[]): Promise<void> {
  if (originals.length === 0) return;
  await tx.deprecateWithDependents(originals);
}

/** A replacement document becomes a member of every approved folder that held the original. */
export async function joinFoldersOf(tx: RegistrySession, replacements: Array<{ newDocument: string; original: string }>, now: string): Promise<void> {
  for (const { newDocument, original } of replacements) {
    const folders = await tx.approvedFoldersHolding(original);
    for (const folder of folders) {
      await tx.insertObjects({ associations: [{
        entryUuid: newEntryUuid(),
        type: AssociationType.HasMember,
        sourceId: folder,
        targetId: newDocument,
        availabilityStatus: AvailabilityStatus.Approved,
      }] });
    }
    await touchFolders(tx, folders, now);
  }
}

/** Folders whose membership changed get a new lastUpdateTime. */
export async function touchFolders(tx: RegistrySession, folders: string[], now: string): Promise<void> {
  if (folders.length === 0) return;
  await tx.touchFolders(folders, now);
}
