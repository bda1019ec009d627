/**
 * The remote-document cache over this gateway's stores: its index in the database and its
 * bytes in a blob store of their own under DATA_DIR/remote-cache, encrypted with the same keys
 * as local documents. A directory of its own keeps each orphan sweep to the rows it knows:
 * the repository's sweep would take cached blobs for orphans, and the reverse.
 */
import path from 'node:path';
import { RemoteDocumentCache } from '../remote-documents/remote-document-cache';
import type { RemoteCacheConfig } from '../remote-cache-config';
import { FsBlobStore, loadBlobKeyring } from './blobs';
import type { Database } from './sql/database';
import { SqlRemoteCacheIndex } from './sql/remote-documents/sql-remote-cache-index';

export async function openRemoteDocumentCache(
  db: Database,
  config: { dataDir: string; blobKeys: Map<string, Buffer>; blobActiveKeyId?: string; documentInlineMaxBytes: number; remoteCache: RemoteCacheConfig },
): Promise<RemoteDocumentCache> {
  const bytes = await FsBlobStore.open(path.join(config.dataDir, 'remote-cache'), await loadBlobKeyring(config));
  const { ttlSeconds, maxBytes, maxDocumentBytes } = config.remoteCache;
  return new RemoteDocumentCache(new SqlRemoteCacheIndex(db), bytes, {
    ttlMs: ttlSeconds * 1000,
    maxBytes,
    inlineUpTo: config.documentInlineMaxBytes,
    ...(maxDocumentBytes !== undefined ? { maxDocumentBytes } : {}),
  });
}
