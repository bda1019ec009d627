/**
 * Symbolic ids (ITI TF-3 4.2.3.1.6: any id not of the form urn:uuid:…) are replaced by
 * registry-assigned UUIDs, and associations are rewritten to the assigned ids.
 */
import { randomUUID } from 'node:crypto';
import type { Submission } from '../domain/submission';
import { isUuidUrn } from '../domain/uuid';

export function newEntryUuid(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Returns a copy of the submission with UUID entry ids, and the map from given id to UUID. */
export function assignEntryUuids(s: Submission): { submission: Submission; ids: Record<string, string> } {
  const ids: Record<string, string> = {};
  const assign = (id: string) => {
    const uuid = isUuidUrn(id) ? id.toLowerCase() : newEntryUuid();
    ids[id] = uuid;
    return uuid;
  };
  const submissionSet = { ...s.submissionSet, entryUuid: assign(s.submissionSet.entryUuid) };
  const documents = s.documents.map((d) => ({ ...d, entryUuid: assign(d.entryUuid) }));
  const folders = s.folders.map((f) => ({ ...f, entryUuid: assign(f.entryUuid) }));
  const withIds = s.associations.map((a) => ({ ...a, entryUuid: assign(a.entryUuid) }));
  // Endpoints name objects of this message (by their given id) or registered objects (by UUID).
  const resolve = (ref: string) => ids[ref] ?? (isUuidUrn(ref) ? ref.toLowerCase() : ref);
  const associations = withIds.map((a) => ({ ...a, sourceId: resolve(a.sourceId), targetId: resolve(a.targetId) }));
  return { submission: { submissionSet, documents, folders, associations }, ids };
}
