import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobError, type BlobErrorCode } from '../../src/store/blobs/blob-store';
import { DEFAULT_SEGMENT_SIZE, FIXED_HEADER_LENGTH, SIZE_OFFSET, TAG_LENGTH } from '../../src/store/blobs/format';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { blobPath, chunked, keyring, listFiles, newKey, readAll, readUntilError, sha1, tempDir } from './helpers';

const S = 4096; // small segments so multi-segment cases stay small
const KEY_ID = 'k1';
const HEADER = FIXED_HEADER_LENGTH + KEY_ID.length;
const segOffset = (i: number): number => HEADER + i * (S + TAG_LENGTH);

function assertBlobError(err: unknown, code: BlobErrorCode): void {
  assert.ok(err instanceof BlobError, `expected BlobError ${code}, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
}

async function expectReadFails(store: FsBlobStore, key: string, code: BlobErrorCode, original?: Buffer): Promise<void> {
  const { emitted, error } = await readUntilError(store.get(key));
  assertBlobError(error, code);
  // Whatever came out before the failure must be authentic: a prefix of the original, whole segments only.
  if (original) {
    assert.ok(original.subarray(0, emitted.length).equals(emitted), 'emitted bytes are not a prefix of the original');
    assert.equal(emitted.length % S, 0, 'a partial (unauthenticated) segment was emitted');
  }
}

describe('FsBlobStore', () => {
  let dir: string;
  let k1: Buffer;
  let store: FsBlobStore;

  beforeEach(async () => {
    dir = await tempDir();
    k1 = newKey();
    store = await FsBlobStore.open(dir, keyring({ [KEY_ID]: k1 }, KEY_ID), { segmentSize: S });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('round trip', () => {
    const sizes: Array<[string, number]> = [
      ['empty', 0],
      ['one byte', 1],
      ['small', 1000],
      ['one segment minus one', S - 1],
      ['exactly one segment', S],
      ['one segment plus one', S + 1],
      ['exactly three segments', 3 * S],
      ['odd multi-segment', 5 * S + 1237],
    ];
    for (const [name, size] of sizes) {
      it(`${name} (${size} bytes)`, async () => {
        const data = crypto.randomBytes(size);
        const res = await store.put(chunked(data, 3000));
        assert.match(res.key, /^[0-9a-f]{32}$/);
        assert.equal(res.keyId, KEY_ID);
        assert.equal(res.size, size);
        assert.equal(res.sha1, sha1(data));
        assert.ok((await readAll(store.get(res.key))).equals(data));
        const st = await store.stat(res.key);
        assert.equal(st.size, size);
        assert.equal(st.keyId, KEY_ID);
        const segments = size === 0 ? 1 : Math.ceil(size / S);
        assert.equal(st.storedSize, HEADER + size + segments * TAG_LENGTH);
        assert.equal(await store.exists(res.key), true);
      });
    }

    it('multi-segment with the default segment size', async () => {
      const big = await FsBlobStore.open(dir, keyring({ [KEY_ID]: k1 }, KEY_ID));
      const data = crypto.randomBytes(2 * DEFAULT_SEGMENT_SIZE + 12345);
      const res = await big.put(chunked(data, 65536));
      assert.equal(res.sha1, sha1(data));
      assert.ok((await readAll(big.get(res.key))).equals(data));
    });

    it('accepts a source that is one large chunk, Uint8Arrays and strings', async () => {
      const data = crypto.randomBytes(3 * S + 5);
      const one = await store.put(Readable.from([data]));
      assert.ok((await readAll(store.get(one.key))).equals(data));
      async function* parts(): AsyncGenerator<Uint8Array | string> {
        yield new Uint8Array([104, 105]);
        yield ' there';
      }
      const mixed = await store.put(parts());
      assert.equal((await readAll(store.get(mixed.key))).toString(), 'hi there');
      assert.equal(mixed.sha1, sha1(Buffer.from('hi there')));
    });

    it('coalesces a source of tiny chunks correctly', async () => {
      const data = crypto.randomBytes(3 * S + 77);
      async function* bytes(): AsyncGenerator<Buffer> {
        for (let i = 0; i < data.length; ) {
          const n = 1 + (i % 13);
          yield data.subarray(i, i + n);
          i += n;
          if (i % 5 === 0) yield Buffer.alloc(0);
        }
      }
      const res = await store.put(bytes());
      assert.equal(res.sha1, sha1(data));
      assert.ok((await readAll(store.get(res.key))).equals(data));
      // tiny chunks mixed with large ones
      async function* mixed(): AsyncGenerator<Buffer> {
        let i = 0;
        while (i < data.length) {
          const n = i % 3 === 0 ? 2 : 5000;
          yield data.subarray(i, i + n);
          i += n;
        }
      }
      const res2 = await store.put(mixed());
      assert.ok((await readAll(store.get(res2.key))).equals(data));
    });

    it('stores sharded as ab/cd/<key>, mode 0600, leaving no temp file', async () => {
      const res = await store.put(chunked(crypto.randomBytes(100)));
      const files = await listFiles(dir);
      assert.deepEqual(files, [path.join(res.key.slice(0, 2), res.key)]);
      const mode = (await fs.stat(blobPath(dir, res.key))).mode & 0o777;
      if (process.platform !== 'win32') assert.equal(mode, 0o600);
    });

    it('does not store the plaintext', async () => {
      const marker = Buffer.from('PATIENT-SECRET-MARKER-'.repeat(500));
      const res = await store.put(chunked(marker));
      const raw = await fs.readFile(blobPath(dir, res.key));
      assert.equal(raw.includes(Buffer.from('PATIENT-SECRET')), false);
    });

    it('serves byte ranges, decrypting only the segments needed', async () => {
      const data = crypto.randomBytes(4 * S + 100);
      const { key } = await store.put(chunked(data));
      const cases: Array<[number | undefined, number | undefined]> = [
        [0, 0], [0, S - 1], [S - 1, S], [10, 3 * S + 7], [4 * S, undefined], [undefined, 99], [4 * S + 99, 4 * S + 99], [100, 10 * S],
      ];
      for (const [start, end] of cases) {
        const range = { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
        const got = await readAll(store.get(key, range));
        const expected = data.subarray(start ?? 0, end === undefined ? undefined : end + 1);
        assert.ok(got.equals(expected), `range ${JSON.stringify(range)}`);
      }
      assert.equal((await readAll(store.get(key, { start: data.length }))).length, 0);
      assert.equal((await readAll(store.get(key, { start: 10, end: 5 }))).length, 0);
      const { error } = await readUntilError(store.get(key, { start: -1 }));
      assert.ok(error instanceof RangeError);
    });

    it('many concurrent puts and gets', async () => {
      const datas = Array.from({ length: 20 }, (_, i) => crypto.randomBytes(i * 1000 + 7));
      const results = await Promise.all(datas.map((d) => store.put(chunked(d))));
      const back = await Promise.all(results.map((r) => readAll(store.get(r.key))));
      back.forEach((b, i) => assert.ok(b.equals(datas[i]!)));
    });
  });

  describe('fails loudly, never returning garbage', () => {
    let data: Buffer;
    let key: string;
    let file: string;

    beforeEach(async () => {
      data = crypto.randomBytes(3 * S + 500); // segments: S, S, S, 500 (final)
      key = (await store.put(chunked(data))).key;
      file = blobPath(dir, key);
    });

    async function flip(offset: number): Promise<void> {
      const raw = await fs.readFile(file);
      raw[offset]! ^= 0x01;
      await fs.writeFile(file, raw);
    }

    it('with the wrong key under the same key id', async () => {
      const other = await FsBlobStore.open(dir, keyring({ [KEY_ID]: newKey() }, KEY_ID), { segmentSize: S });
      await expectReadFails(other, key, 'INTEGRITY', data);
      const { emitted } = await readUntilError(other.get(key));
      assert.equal(emitted.length, 0);
    });

    it('with an unknown key id', async () => {
      const other = await FsBlobStore.open(dir, keyring({ k2: newKey() }, 'k2'), { segmentSize: S });
      await expectReadFails(other, key, 'UNKNOWN_KEY_ID');
      // stat still works: it reports which key a blob needs (rotation tooling).
      assert.equal((await other.stat(key)).keyId, KEY_ID);
    });

    const flips: Array<[string, () => number]> = [
      ['a salt byte in the header', () => 20],
      ['a nonce-prefix byte in the header', () => 45],
      ['the segment size in the header', () => 10],
      ['the key id in the header', () => FIXED_HEADER_LENGTH],
      ['a reserved header byte', () => 7],
      ['a ciphertext byte of the first segment', () => segOffset(0) + 5],
      ['a ciphertext byte of a middle segment', () => segOffset(2) + 1000],
      ['a tag byte of a middle segment', () => segOffset(1) + S + 3],
      ['a ciphertext byte of the final segment', () => segOffset(3) + 499],
      ['the final tag', () => segOffset(3) + 500 + 15],
    ];
    for (const [what, at] of flips) {
      it(`with ${what} flipped`, async () => {
        await flip(at());
        const { emitted, error } = await readUntilError(store.get(key));
        assert.ok(error instanceof BlobError, `no error for a flipped byte at ${at()}`);
        assert.ok(['INTEGRITY', 'BAD_FORMAT', 'UNKNOWN_KEY_ID'].includes(error.code), error.code);
        assert.ok(data.subarray(0, emitted.length).equals(emitted));
        assert.equal(emitted.length % S, 0);
      });
    }

    it('with the plaintext size in the header changed', async () => {
      const raw = await fs.readFile(file);
      raw.writeBigUInt64BE(BigInt(data.length - 1), SIZE_OFFSET);
      await fs.writeFile(file, raw);
      await expectReadFails(store, key, 'INTEGRITY', data);
      await assert.rejects(store.stat(key), (e: unknown) => e instanceof BlobError && e.code === 'INTEGRITY');
    });

    it('when truncated by one byte', async () => {
      await fs.truncate(file, (await fs.stat(file)).size - 1);
      await expectReadFails(store, key, 'INTEGRITY', data);
    });

    it('when truncated at a segment boundary with the header rewritten to match', async () => {
      // Drops the final segment and claims 3 full segments: the file is then self-consistent in
      // length, but segment 2 was sealed as non-final, so the end cannot be authenticated.
      const raw = await fs.readFile(file);
      const cut = Buffer.from(raw.subarray(0, segOffset(3)));
      cut.writeBigUInt64BE(BigInt(3 * S), SIZE_OFFSET);
      await fs.writeFile(file, cut);
      const { emitted, error } = await readUntilError(store.get(key));
      assertBlobError(error, 'INTEGRITY');
      assert.ok(emitted.length < 3 * S, 'the truncated blob must not read as complete');
    });

    it('with bytes appended', async () => {
      await fs.appendFile(file, Buffer.alloc(TAG_LENGTH + 10));
      await expectReadFails(store, key, 'INTEGRITY', data);
    });

    it('with two segments swapped', async () => {
      const raw = await fs.readFile(file);
      const a = Buffer.from(raw.subarray(segOffset(0), segOffset(1)));
      const b = Buffer.from(raw.subarray(segOffset(1), segOffset(2)));
      b.copy(raw, segOffset(0));
      a.copy(raw, segOffset(1));
      await fs.writeFile(file, raw);
      await expectReadFails(store, key, 'INTEGRITY', data);
      const { emitted } = await readUntilError(store.get(key));
      assert.equal(emitted.length, 0);
    });

    it('with a segment duplicated over another', async () => {
      const raw = await fs.readFile(file);
      raw.copy(raw, segOffset(2), segOffset(1), segOffset(2));
      await fs.writeFile(file, raw);
      await expectReadFails(store, key, 'INTEGRITY', data);
    });

    it('when a valid blob file is copied over another blob name', async () => {
      const other = await store.put(chunked(crypto.randomBytes(3 * S + 500)));
      await fs.copyFile(blobPath(dir, other.key), file);
      await expectReadFails(store, key, 'INTEGRITY');
    });

    it('for a file that is not a blob', async () => {
      await fs.writeFile(file, Buffer.from('%PDF-1.7 definitely not an encrypted blob, long enough for a header '.repeat(3)));
      await expectReadFails(store, key, 'BAD_FORMAT');
    });

    it('for a missing blob', async () => {
      const missing = '0123456789abcdef0123456789abcdef';
      await expectReadFails(store, missing, 'NOT_FOUND');
      await assert.rejects(store.stat(missing), (e: unknown) => e instanceof BlobError && e.code === 'NOT_FOUND');
      assert.equal(await store.exists(missing), false);
      assert.equal(await store.delete(missing), false);
    });

    it('for malformed keys, without touching the filesystem', async () => {
      for (const bad of ['../../../etc/passwd', 'ABCDEF0123456789ABCDEF0123456789', '', 'abc', `${key}/..`]) {
        await expectReadFails(store, bad, 'INVALID_KEY');
        await assert.rejects(store.stat(bad), (e: unknown) => e instanceof BlobError && e.code === 'INVALID_KEY');
        await assert.rejects(store.delete(bad), (e: unknown) => e instanceof BlobError && e.code === 'INVALID_KEY');
        await assert.rejects(store.exists(bad), (e: unknown) => e instanceof BlobError && e.code === 'INVALID_KEY');
      }
    });
  });

  describe('key rotation', () => {
    it('reads old blobs with the old key while writing new ones with the new key', async () => {
      const oldData = crypto.randomBytes(2 * S + 3);
      const oldBlob = await store.put(chunked(oldData));
      assert.equal(oldBlob.keyId, KEY_ID);

      const k2 = newKey();
      const rotated = await FsBlobStore.open(dir, keyring({ [KEY_ID]: k1, k2 }, 'k2'), { segmentSize: S });
      const newData = crypto.randomBytes(S + 9);
      const newBlob = await rotated.put(chunked(newData));
      assert.equal(newBlob.keyId, 'k2');
      assert.ok((await readAll(rotated.get(oldBlob.key))).equals(oldData));
      assert.ok((await readAll(rotated.get(newBlob.key))).equals(newData));

      // With k1 removed, the old blob fails loudly and the new one still reads.
      const onlyK2 = await FsBlobStore.open(dir, keyring({ k2 }, 'k2'), { segmentSize: S });
      await expectReadFails(onlyK2, oldBlob.key, 'UNKNOWN_KEY_ID');
      assert.ok((await readAll(onlyK2.get(newBlob.key))).equals(newData));

      // Re-encrypting moves the old blob to k2 under the same storage key; then k1 can go.
      assert.deepEqual(await rotated.reencrypt(oldBlob.key), { key: oldBlob.key, keyId: 'k2', rewritten: true });
      assert.deepEqual(await rotated.reencrypt(newBlob.key), { key: newBlob.key, keyId: 'k2', rewritten: false });
      assert.ok((await readAll(onlyK2.get(oldBlob.key))).equals(oldData));
      assert.equal((await listFiles(dir)).length, 2);
    });

    it('refuses a keyring whose active key is missing or malformed', async () => {
      await assert.rejects(FsBlobStore.open(dir, keyring({ k1 }, 'nope')), /active blob key/);
      await assert.rejects(FsBlobStore.open(dir, keyring({ k1: Buffer.alloc(16) }, 'k1')), /32 bytes/);
    });
  });

  describe('failed writes leave nothing behind', () => {
    it('when the source stream errors midway', async () => {
      let sent = 0;
      const source = new Readable({
        read() {
          if (sent >= 5 * S) {
            this.destroy(new Error('client went away'));
            return;
          }
          sent += 1000;
          this.push(crypto.randomBytes(1000));
        },
      });
      await assert.rejects(store.put(source), /client went away/);
      assert.deepEqual(await listFiles(dir), []);
    });

    it('when the source errors before the first byte', async () => {
      const source = new Readable({ read() { this.destroy(new Error('boom')); } });
      await assert.rejects(store.put(source), /boom/);
      assert.deepEqual(await listFiles(dir), []);
    });

    it('when aborted by the signal while the source stalls', async () => {
      const source = new Readable({ read() { /* never produces after the first chunk */ } });
      source.push(crypto.randomBytes(3 * S));
      const ac = new AbortController();
      const p = store.put(source, { signal: ac.signal });
      setTimeout(() => ac.abort(new Error('request aborted')), 20);
      await assert.rejects(p, /request aborted/);
      assert.equal(source.destroyed, true);
      assert.deepEqual(await listFiles(dir), []);
    });

    it('when the size limit is exceeded, without destroying the source', async () => {
      const source = chunked(crypto.randomBytes(10 * S));
      await assert.rejects(store.put(source, { maxSize: 2 * S }), (e: unknown) => e instanceof BlobError && e.code === 'TOO_LARGE');
      assert.equal(source.destroyed, false);
      assert.deepEqual(await listFiles(dir), []);
      source.destroy();
    });
  });

  describe('sweepOrphans', () => {
    it('removes only unreferenced blobs and temp files older than the threshold', async () => {
      const old = new Date(Date.now() - 2 * 3600_000);
      const referencedOld = await store.put(chunked(Buffer.from('referenced')));
      const orphanOld = await store.put(chunked(Buffer.from('orphan')));
      const orphanNew = await store.put(chunked(Buffer.from('just written, not yet committed')));
      for (const k of [referencedOld.key, orphanOld.key]) await fs.utimes(blobPath(dir, k), old, old);
      const shard = path.dirname(blobPath(dir, orphanNew.key));
      const oldTemp = path.join(shard, `.tmp-${orphanNew.key}.dead`);
      const newTemp = path.join(shard, `.tmp-${orphanNew.key}.live`);
      const stranger = path.join(shard, 'README.txt');
      for (const f of [oldTemp, newTemp, stranger]) await fs.writeFile(f, 'x');
      await fs.utimes(oldTemp, old, old);
      await fs.utimes(stranger, old, old);

      const asked: string[] = [];
      const result = await store.sweepOrphans(async (keys) => {
        asked.push(...keys);
        return new Set(keys.filter((k) => k === referencedOld.key));
      }, 3600_000);

      assert.deepEqual(asked.sort(), [referencedOld.key, orphanOld.key].sort(), 'only old blobs are offered');
      assert.deepEqual(result, { scanned: 2, removedTemp: 1, removedBlobs: 1 });
      assert.equal(await store.exists(referencedOld.key), true);
      assert.equal(await store.exists(orphanOld.key), false);
      assert.equal(await store.exists(orphanNew.key), true);
      await assert.rejects(fs.stat(oldTemp), { code: 'ENOENT' });
      await fs.stat(newTemp);
      await fs.stat(stranger);
    });

    it('removes nothing when the reference check fails', async () => {
      const b = await store.put(chunked(Buffer.from('x')));
      const old = new Date(Date.now() - 3600_000);
      await fs.utimes(blobPath(dir, b.key), old, old);
      await assert.rejects(store.sweepOrphans(async () => { throw new Error('db down'); }, 1000), /db down/);
      assert.equal(await store.exists(b.key), true);
    });
  });
});
