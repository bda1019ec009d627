/** Blob store: the port, the filesystem adapter and its keys. */
import path from 'node:path';
import { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store';
import { loadBlobKeyring } from './keys';

export * from './blob-store';
export { FsBlobStore, type FsBlobStoreOptions, type ReencryptResult, TEMP_PREFIX } from './fs-blob-store';
export { type BlobKeyring, generateOrLoadLocalKey, loadBlobKeyring, validateKeyring, LOCAL_KEY_FILE } from './keys';
export { DEFAULT_SEGMENT_SIZE } from './format';

/** The store main.ts wires in: DATA_DIR/blobs, keys from BLOB_KEYS or the generated local key. */
export async function openBlobStoreFromConfig(
  config: { dataDir: string; blobKeys: Map<string, Buffer>; blobActiveKeyId?: string },
  opts?: FsBlobStoreOptions,
): Promise<FsBlobStore> {
  const keyring = await loadBlobKeyring(config);
  return FsBlobStore.open(path.join(config.dataDir, 'blobs'), keyring, opts);
}
