/**
 * The XDS error a StorageError is reported with, for both front ends: a full disk is what ITI
 * TF-3 Table 4.2.4.1-2 calls XDSRepositoryOutOfResources, any other storage failure the
 * repository's generic XDSRepositoryError. The context says which, and that the submission
 * stored nothing (a failed write discards every byte it wrote).
 */
import { XdsErrorCode } from '../domain/error-codes';
import type { RegistryErrorDetail } from '../domain/registry-error';
import type { StorageError } from '../storage-error';

export function storageFailureDetail(err: StorageError): RegistryErrorDetail {
  const errno = err.errno ? ` (${err.errno})` : '';
  if (err.operation === 'read') {
    return { code: XdsErrorCode.XDSRepositoryError, severity: 'Error', context: `document storage could not be read${errno}; try again later` };
  }
  return err.failure === 'full'
    ? { code: XdsErrorCode.XDSRepositoryOutOfResources, severity: 'Error', context: `document storage is full${errno}; nothing was stored` }
    : { code: XdsErrorCode.XDSRepositoryError, severity: 'Error', context: `document storage failed${errno}; nothing was stored` };
}
