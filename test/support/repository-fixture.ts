import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentRepository, type DocumentRepositoryOptions } from '../../src/repository/document-repository';
import { RepositoryService } from '../../src/repository/repository-service';
import { FsBlobStore } from '../../src/store/blobs';
import type { Database } from '../../src/store/sql/database';
import { REPOSITORY_ID } from './metadata-builders';

/** A repository over a temporary blob directory with a freshly generated key (every document in a file unless `options` say otherwise). */
export async function testRepository(db: Database, options: DocumentRepositoryOptions = {}): Promise<{ service: RepositoryService; blobDir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hie-blobs-'));
  const blobs = await FsBlobStore.open(dir, { keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' });
  const service = new RepositoryService(db, new DocumentRepository(blobs, options), REPOSITORY_ID);
  return { service, blobDir: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
