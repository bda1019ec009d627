// The derived-key cache (src/store/blobs/derived-keys.ts): the key it answers is HKDF's, it keeps
// at most MAX_CACHED_KEYS per master key (least recently used out), and two master keys never
// share an entry even for the same salt.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { MAX_CACHED_KEYS, cachedBlobKey, cachedKeyCount } from '../../src/store/blobs/derived-keys';
import { deriveBlobKey } from '../../src/store/blobs/format';

describe('derived blob keys cache', () => {
  it('answers the key HKDF derives, the same Buffer on a hit', () => {
    const master = crypto.randomBytes(32);
    const salt = crypto.randomBytes(32);
    const first = cachedBlobKey(master, salt);
    assert.deepEqual(first, deriveBlobKey(master, salt));
    assert.equal(cachedBlobKey(master, Buffer.from(salt)), first);
  });

  it('keeps two master keys apart for the same salt', () => {
    const salt = crypto.randomBytes(32);
    const [a, b] = [crypto.randomBytes(32), crypto.randomBytes(32)];
    assert.notDeepEqual(cachedBlobKey(a, salt), cachedBlobKey(b, salt));
    assert.deepEqual(cachedBlobKey(b, salt), deriveBlobKey(b, salt));
  });

  it('is bounded, dropping the least recently used salt', () => {
    const master = crypto.randomBytes(32);
    const salts = Array.from({ length: MAX_CACHED_KEYS + 1 }, () => crypto.randomBytes(32));
    const kept = salts[0]!;
    cachedBlobKey(master, kept);
    const keptKey = cachedBlobKey(master, kept);
    for (const salt of salts.slice(1, MAX_CACHED_KEYS)) cachedBlobKey(master, salt);
    // Used again, so the second salt is now the oldest: the next new one evicts it, not the first.
    assert.equal(cachedBlobKey(master, kept), keptKey);
    cachedBlobKey(master, salts[MAX_CACHED_KEYS]!);
    assert.equal(cachedKeyCount(master), MAX_CACHED_KEYS);
    assert.equal(cachedBlobKey(master, kept), keptKey, 'recently used: still cached');
  });
});
