/**
 * A failure of this machine's storage rather than of the request: the disk that holds the
 * documents (or the MTOM spool) is full, read-only or failing. Whatever writes or reads bytes
 * on disk (blob store, spool) turns the operating system's errno errors into this one type, so
 * each front end answers it in one place (FHIR: error-handler.ts; XDS.b: registry-response.ts
 * and error-faults.ts) and a full disk never reaches a client as a bare 500.
 */
export type StorageOperation = 'write' | 'read';

/** `full`: no space or quota left; `failed`: anything else the storage reports (I/O error, read-only, gone). */
export type StorageFailure = 'full' | 'failed';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const FAILED = new Set(['EIO', 'EROFS', 'ENXIO', 'ENODEV', 'ESTALE', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'ENOENT', 'ENOTDIR', 'EBUSY']);

export class StorageError extends Error {
  constructor(
    readonly operation: StorageOperation,
    readonly failure: StorageFailure,
    /** The errno code (ENOSPC, EIO, ...) when the operating system gave one. */
    readonly errno: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * `err` as a StorageError when it is an errno error of storage (`what` names what was being
 * written or read); anything else (a client's reset connection, a bug) is returned unchanged.
 */
export function storageErrorOf(err: unknown, operation: StorageOperation, what: string): unknown {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const failure = typeof code !== 'string' ? undefined : FULL.has(code) ? 'full' : FAILED.has(code) ? 'failed' : undefined;
  if (failure === undefined) return err;
  return new StorageError(operation, failure, code, `${operation === 'write' ? 'writing' : 'reading'} ${what} failed: ${failure === 'full' ? 'storage is full' : 'storage error'} (${code})`, { cause: err });
}
