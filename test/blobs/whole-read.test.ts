// BlobStore.readWhole (src/store/blobs/blob-whole-read.ts): a small blob's plaintext in one
// buffer, from its file or its sealed bytes, with every segment authenticated before anything
// is returned; and the opening it shares with the stream (blob-opening.ts), which learns the
// file's length from its first read instead of a stat when that read reached the end.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { BlobError } from '../../src/store/blobs/blob-store';
import { DEFAULT_SEGMENT_SIZE, FIXED_HEADER_LENGTH, TAG_LENGTH } from '../../src/store/blobs/format';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { blobPath, chunked, freshStorePerTest, keyring, newKey, readAll, readUntilError } from './helpers';

const S = 4096;
const KEY_ID = 'k1';
const segOffset = (i: number, segmentSize = S): number => FIXED_HEADER_LENGTH + KEY_ID.length + i * (segmentSize + TAG_LENGTH);

function isBlobError(code: string): (e: unknown) => boolean {
  return (e: unknown) => e instanceof BlobError && e.code === code;
}

/** Counts FileHandle.stat() calls while `fn` runs (the class is not exported: found on an open handle). */
async function countingStats(dir: string, fn: () => Promise<void>): Promise<number> {
  const probe = await fs.open(dir, 'r');
  const proto = Object.getPrototypeOf(probe) as { stat: (...a: unknown[]) => Promise<unknown> };
  await probe.close();
  const stat = proto.stat;
  let calls = 0;
  proto.stat = function (this: unknown, ...a: unknown[]) {
    calls++;
    return stat.apply(this, a);
  };
  try {
    await fn();
  } finally {
    proto.stat = stat;
  }
  return calls;
}

describe('FsBlobStore.readWhole and the opening it shares with the stream', () => {
  const t = freshStorePerTest(KEY_ID, S);

  for (const size of [0, 1, S - 1, S, S + 1, 2 * S, 3 * S + 17]) {
    it(`reads ${size} bytes whole (segment boundaries), from a file and sealed, as the stream does`, async () => {
      const data = crypto.randomBytes(size);
      const inFile = await t.store.put(chunked(data, 1000));
      assert.ok((await t.store.readWhole(inFile.key)).equals(data));
      assert.ok((await readAll(t.store.get(inFile.key))).equals(data));
      if (size > S) return; // only a blob of one segment is kept sealed (inline)
      const sealed = await t.store.put(chunked(data, 1000), { inlineUpTo: S });
      assert.ok(sealed.sealed);
      assert.ok((await t.store.readWhole(sealed.key, sealed.sealed)).equals(data));
      assert.ok((await t.store.readWhole(sealed.key, async () => sealed.sealed!)).equals(data));
    });
  }

  it('a 1 MiB document of the default segment size: one segment, read without a stat', async () => {
    const big = await FsBlobStore.open(t.dir, keyring({ [KEY_ID]: t.key }, KEY_ID));
    const data = crypto.randomBytes(DEFAULT_SEGMENT_SIZE);
    const { key } = await big.put(chunked(data, 65536));
    let whole: Buffer | undefined;
    let streamed: Buffer | undefined;
    const stats = await countingStats(t.dir, async () => {
      whole = await big.readWhole(key);
      streamed = await readAll(big.get(key));
    });
    await big.close();
    assert.ok(whole!.equals(data));
    assert.ok(streamed!.equals(data));
    assert.equal(stats, 0, 'the first read reached the end of the file, which gave its length');
  });

  it('a file larger than one read buffer (many small segments) is read through the stream, intact', async () => {
    const data = crypto.randomBytes(DEFAULT_SEGMENT_SIZE);
    const { key } = await t.store.put(chunked(data, 65536));
    const stats = await countingStats(t.dir, async () => {
      assert.ok((await t.store.readWhole(key)).equals(data));
    });
    assert.ok(stats > 0, 'a read that filled its buffer asks the file for its length');
  });

  describe('refuses a tampered or cut blob before returning anything', () => {
    let data: Buffer;
    let key: string;
    let file: string;

    beforeEach(async () => {
      data = crypto.randomBytes(2 * S + 300);
      key = (await t.store.put(chunked(data))).key;
      file = blobPath(t.dir, key);
    });

    async function rewrite(change: (raw: Buffer) => Buffer): Promise<void> {
      await fs.writeFile(file, change(await fs.readFile(file)));
    }

    const flips: Array<[string, number]> = [
      ['a salt byte', 20],
      ['a ciphertext byte of the first segment', segOffset(0) + 3],
      ['the first segment\'s last ciphertext byte (a boundary)', segOffset(0) + S - 1],
      ['the first byte of the second segment (a boundary)', segOffset(1)],
      ['a tag byte of the second segment', segOffset(1) + S + 5],
      ['the final segment\'s last tag byte', segOffset(2) + 300 + TAG_LENGTH - 1],
    ];
    for (const [what, at] of flips) {
      it(`with ${what} flipped`, async () => {
        await rewrite((raw) => {
          raw[at]! ^= 0x80;
          return raw;
        });
        await assert.rejects(t.store.readWhole(key), (e: unknown) => e instanceof BlobError && ['INTEGRITY', 'BAD_FORMAT'].includes(e.code));
        // The stream still emits only authenticated whole segments before it fails.
        const { emitted, error } = await readUntilError(t.store.get(key));
        assert.ok(error instanceof BlobError);
        assert.ok(data.subarray(0, emitted.length).equals(emitted));
        assert.equal(emitted.length % S, 0);
      });
    }

    it('cut by one byte: refused by its length (a short first read is checked with a stat)', async () => {
      await rewrite((raw) => raw.subarray(0, raw.length - 1));
      await assert.rejects(t.store.readWhole(key), isBlobError('INTEGRITY'));
      await assert.rejects(readAll(t.store.get(key)), isBlobError('INTEGRITY'));
    });

    it('with bytes appended', async () => {
      await rewrite((raw) => Buffer.concat([raw, Buffer.alloc(10)]));
      await assert.rejects(t.store.readWhole(key), isBlobError('INTEGRITY'));
    });

    it('sealed bytes tampered', async () => {
      const sealed = await t.store.put(chunked(data.subarray(0, 1000)), { inlineUpTo: S });
      const bad = Buffer.from(sealed.sealed!);
      bad[bad.length - 1]! ^= 1;
      await assert.rejects(t.store.readWhole(sealed.key, bad), isBlobError('INTEGRITY'));
    });

    it('missing, or under a key id not configured', async () => {
      await fs.rm(file);
      await assert.rejects(t.store.readWhole(key), isBlobError('NOT_FOUND'));
      const data2 = crypto.randomBytes(100);
      const other = await FsBlobStore.open(t.dir, keyring({ k2: newKey() }, 'k2'), { segmentSize: S });
      const { key: key2 } = await other.put(chunked(data2));
      await other.close();
      await assert.rejects(t.store.readWhole(key2), isBlobError('UNKNOWN_KEY_ID'));
      await assert.rejects(t.store.readWhole('../../etc/passwd'), isBlobError('INVALID_KEY'));
    });
  });
});
