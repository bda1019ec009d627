import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { XdsErrorCode } from '../../src/domain/error-codes';
import { RegistryError } from '../../src/domain/registry-error';
import { DocumentRepository } from '../../src/repository/document-repository';
import { BlobError } from '../../src/store/blobs/blob-store';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { chunked, keyring, listFiles, newKey, readAll, readUntilError, sha1, tempDir } from '../blobs/helpers';

function isMetadataError(err: unknown): boolean {
  assert.ok(err instanceof RegistryError, `expected RegistryError, got ${String(err)}`);
  assert.equal(err.errors[0]!.code, XdsErrorCode.XDSRepositoryMetadataError);
  return true;
}

describe('DocumentRepository', () => {
  let dir: string;
  let repo: DocumentRepository;

  beforeEach(async () => {
    dir = await tempDir('hie-repo-');
    repo = new DocumentRepository(await FsBlobStore.open(dir, keyring({ k: newKey() }, 'k'), { segmentSize: 4096 }));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('stores and retrieves a document, reporting hash and size', async () => {
    const data = crypto.randomBytes(10_000);
    const stored = await repo.storeDocument(chunked(data));
    assert.deepEqual(stored, { blobKey: stored.blobKey, keyId: 'k', hash: sha1(data), size: data.length });
    assert.ok((await readAll(repo.openDocument(stored.blobKey))).equals(data));
    assert.ok((await readAll(repo.openDocument(stored.blobKey, { start: 5000, end: 5999 }))).equals(data.subarray(5000, 6000)));
  });

  it('accepts matching metadata, comparing the hash case-insensitively', async () => {
    const data = crypto.randomBytes(5000);
    const stored = await repo.storeDocument(chunked(data), { hash: sha1(data).toUpperCase(), size: data.length });
    assert.equal(stored.hash, sha1(data));
  });

  it('rejects a hash mismatch with XDSRepositoryMetadataError and keeps no blob', async () => {
    const data = crypto.randomBytes(5000);
    await assert.rejects(repo.storeDocument(chunked(data), { hash: sha1(Buffer.from('other')), size: data.length }, { location: 'urn:oid:1.2.3' }), (err: unknown) => {
      isMetadataError(err);
      assert.match((err as RegistryError).message, /hash/);
      assert.equal((err as RegistryError).errors[0]!.location, 'urn:oid:1.2.3');
      return true;
    });
    assert.deepEqual(await listFiles(dir), []);
  });

  it('rejects a document smaller than its metadata size and keeps no blob', async () => {
    const data = crypto.randomBytes(5000);
    await assert.rejects(repo.storeDocument(chunked(data), { size: 5001 }), (err: unknown) => isMetadataError(err) && /size/.test((err as Error).message));
    assert.deepEqual(await listFiles(dir), []);
  });

  it('stops reading a document larger than its metadata size and keeps nothing', async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        produced += 1000;
        this.push(produced > 1_000_000 ? null : crypto.randomBytes(1000));
      },
    });
    await assert.rejects(repo.storeDocument(source, { size: 4999 }), (err: unknown) => isMetadataError(err) && /larger/.test((err as Error).message));
    assert.equal(source.destroyed, false, 'the caller still owns the source (to send the error response)');
    assert.ok(produced < 100_000, `the body was read far past the declared size (${produced} bytes)`);
    source.destroy();
    assert.deepEqual(await listFiles(dir), []);
  });

  it('rejects malformed hash or size in metadata before storing anything', async () => {
    await assert.rejects(repo.storeDocument(chunked(Buffer.from('x')), { hash: 'not-a-sha1' }), isMetadataError);
    await assert.rejects(repo.storeDocument(chunked(Buffer.from('x')), { size: -1 }), isMetadataError);
    await assert.rejects(repo.storeDocument(chunked(Buffer.from('x')), { size: 1.5 }), isMetadataError);
    assert.deepEqual(await listFiles(dir), []);
  });

  it('removes a document', async () => {
    const stored = await repo.storeDocument(chunked(Buffer.from('to be deleted')));
    assert.equal(await repo.removeDocument(stored.blobKey), true);
    assert.equal(await repo.removeDocument(stored.blobKey), false);
    const { error } = await readUntilError(repo.openDocument(stored.blobKey));
    assert.ok(error instanceof BlobError && error.code === 'NOT_FOUND');
  });

  it('sweeps documents the registry does not reference', async () => {
    const kept = await repo.storeDocument(chunked(Buffer.from('kept')));
    const lost = await repo.storeDocument(chunked(Buffer.from('crash before commit')));
    const res = await repo.sweepOrphans(async (keys) => new Set(keys.filter((k) => k === kept.blobKey)), 0);
    assert.equal(res.removedBlobs, 1);
    assert.equal((await readAll(repo.openDocument(kept.blobKey))).toString(), 'kept');
    const { error } = await readUntilError(repo.openDocument(lost.blobKey));
    assert.ok(error instanceof BlobError && error.code === 'NOT_FOUND');
  });
});
