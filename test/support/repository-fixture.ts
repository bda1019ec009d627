import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentRepository, type DocumentRepositoryOptions } from '../../src/repository/document-repository';
import { RepositoryService } from '../../src/repository/repository-service';
import { FsBlobStore } from '../../src/store/blobs';
import type { Registry } from '../../src/registry/registry';
import type { Database } from '../../src/store/sql/database';
import { patientCx, REPOSITORY_ID } from './metadata-builders';
import { testRegistry } from './registry-fixture';

/** A repository over a temporary blob directory with a freshly generated key (every document in a file unless `options` say otherwise). */
export async function testRepository(db: Database, options: DocumentRepositoryOptions = {}): Promise<{ service: RepositoryService; blobDir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hie-blobs-'));
  const blobs = await FsBlobStore.open(dir, { keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' });
  const service = new RepositoryService(db, new DocumentRepository(blobs, options), REPOSITORY_ID);
  return { service, blobDir: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RepositorySuite {
  registry: Registry;
  repo: RepositoryService;
  blobDir: string;
  /** Fed to the registry before each test. */
  patient: string;
}

/**
 * Mocha hooks for a provide-and-register suite: a registry and a repository (`options`) over the
 * suite's database, and a newly fed patient before each test, handed to `set` each time.
 */
export function withRepositoryAndPatient(ctx: { db: Database }, set: (suite: RepositorySuite) => void, options: DocumentRepositoryOptions = {}): void {
  let registry: Registry;
  let repo: RepositoryService;
  let blobDir: string;
  let cleanup: (() => Promise<void>) | undefined;
  before(async () => {
    registry = testRegistry(ctx.db);
    ({ service: repo, blobDir, cleanup } = await testRepository(ctx.db, options));
  });
  after(() => cleanup?.());
  beforeEach(async () => {
    const patient = patientCx();
    await registry.registerPatient(patient);
    set({ registry, repo, blobDir, patient });
  });
}
