/**
 * Why a unique index refused a submission twice (see submitToRegistry): a uniqueId that a
 * concurrent submission registered is answered by the lookup of the retry, so what is left is
 * an entryUUID of this submission that the registry already holds. That is the sender's
 * mistake, not a race, and the answer names the object and its entryUUID.
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { RegistryErrorDetail } from '../domain/registry-error';
import { entryIdsOf, type Submission } from '../domain/submission';
import type { RegistrySession } from './ports';

/** One error per entryUUID of `s` that is already registered; empty when there is none. */
export async function reusedEntryUuids(db: RegistrySession, s: Submission): Promise<RegistryErrorDetail[]> {
  const registered = await db.registeredEntryUuids([...entryIdsOf(s)]);
  return registered.map(({ kind, entryUuid }) => ({
    code: XdsErrorCode.XDSDuplicateUniqueIdInRegistry,
    severity: 'Error',
    context: `entryUUID ${entryUuid} is already registered (as a ${kind}); a new object needs a new entryUUID`,
    location: entryUuid,
  }));
}
