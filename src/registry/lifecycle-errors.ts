/** Database failures of a lifecycle transaction that mean something to the requester. */
import { XdsErrorCode } from '../domain/error-codes';
import { RegistryError } from '../domain/registry-error';

/** The RegistryError a store error stands for, or the error itself when it is not one of those. */
export function asRegistryError(err: unknown): unknown {
  if (err instanceof RegistryError || typeof err !== 'object' || err === null) return err;
  const { code, constraint } = err as { code?: string; constraint?: string };
  if (code === '23505') {
    // The row locks make this rare; it is the net under them.
    if (constraint?.endsWith('_logical_version')) {
      return RegistryError.of(XdsErrorCode.XDSMetadataVersionError, 'another update registered the same version concurrently');
    }
    return RegistryError.of(XdsErrorCode.XDSDuplicateUniqueIdInRegistry, 'a uniqueId or entryUUID of this request is already registered');
  }
  // Two requests locking the same objects in opposite order: one is aborted and may simply retry.
  if (code === '40P01' || code === '40001') {
    return RegistryError.of(XdsErrorCode.XDSRegistryBusy, 'a concurrent update of the same objects won; retry');
  }
  return err;
}
