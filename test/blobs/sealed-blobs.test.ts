import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { BlobError, type BlobErrorCode } from '../../src/store/blobs/blob-store';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { chunked, keyring, listFiles, newKey, readAll, readUntilError, sha1, tempDir } from './helpers';

const S = 4096;

function assertBlobError(err: unknown, code: BlobErrorCode): void {
  assert.ok(err instanceof BlobError, `expected BlobError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
}

describe('FsBlobStore sealed (inline) blobs', () => {
  let dir: string;
  let store: FsBlobStore;

  beforeEach(async () => {
    dir = await tempDir();
    store = await FsBlobStore.open(dir, keyring({ k1: newKey() }, 'k1'), { segmentSize: S });
  });
  afterEach(() => store.close());

  async function sealedOf(data: Buffer): Promise<{ key: string; sealed: Buffer }> {
    const r = await store.put(chunked(data, 700), { inlineUpTo: 3000 });
    assert.ok(r.sealed, 'expected the blob back sealed');
    return { key: r.key, sealed: r.sealed };
  }

  it('returns a blob within inlineUpTo sealed, writes no file, and reads it back', async () => {
    const data = crypto.randomBytes(2500);
    const r = await store.put(chunked(data, 700), { inlineUpTo: 3000 });
    assert.equal(r.size, 2500);
    assert.equal(r.sha1, sha1(data));
    assert.ok(r.sealed);
    assert.deepEqual(await listFiles(dir), []);
    assert.equal(await store.exists(r.key), false);
    assert.ok((await readAll(store.openSealed(r.key, r.sealed))).equals(data));
    assert.ok((await readAll(store.openSealed(r.key, r.sealed, { start: 100, end: 199 }))).equals(data.subarray(100, 200)));
    // Or through a loader, called when the stream starts (a row read lazily).
    let loads = 0;
    const loaded = store.openSealed(r.key, async () => (loads++, r.sealed!));
    assert.equal(loads, 0);
    assert.ok((await readAll(loaded)).equals(data));
    assert.equal(loads, 1);
  });

  it('holds ciphertext only: the plaintext appears nowhere in the sealed bytes', async () => {
    const data = Buffer.from('rodné číslo 7801011234, diagnóza J45.0 — '.repeat(20));
    const { sealed } = await sealedOf(data);
    assert.equal(sealed.indexOf(data.subarray(0, 24)), -1);
  });

  it('writes a file as before when the blob is larger than inlineUpTo or than one segment', async () => {
    const over = await store.put(chunked(crypto.randomBytes(3001)), { inlineUpTo: 3000 });
    assert.equal(over.sealed, undefined);
    assert.equal(await store.exists(over.key), true);
    const multi = await store.put(chunked(crypto.randomBytes(S + 1)), { inlineUpTo: 10 * S });
    assert.equal(multi.sealed, undefined);
    assert.equal(await store.exists(multi.key), true);
  });

  it('refuses a flipped bit, a truncation and another key name (INTEGRITY)', async () => {
    const data = crypto.randomBytes(2000);
    const { key, sealed } = await sealedOf(data);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 40]! ^= 1;
    for (const [bytes, name] of [[flipped, key], [sealed.subarray(0, sealed.length - 1), key], [sealed, crypto.randomBytes(16).toString('hex')]] as const) {
      const { emitted, error } = await readUntilError(store.openSealed(name, bytes));
      assertBlobError(error, 'INTEGRITY');
      assert.equal(emitted.length, 0, 'nothing unauthenticated is emitted');
    }
  });

  it('fails loudly when the key it was sealed with is not configured (UNKNOWN_KEY_ID)', async () => {
    const { key, sealed } = await sealedOf(crypto.randomBytes(100));
    const other = await FsBlobStore.open(await tempDir(), keyring({ k2: newKey() }, 'k2'), { segmentSize: S });
    assertBlobError((await readUntilError(other.openSealed(key, sealed))).error, 'UNKNOWN_KEY_ID');
    await other.close();
  });

  it('reads an empty document back empty', async () => {
    const r = await store.put(chunked(Buffer.alloc(0)), { inlineUpTo: 3000 });
    assert.ok(r.sealed);
    assert.equal((await readAll(store.openSealed(r.key, r.sealed))).length, 0);
  });
});
