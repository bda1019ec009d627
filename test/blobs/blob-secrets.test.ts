// newBlobSecrets (src/store/blobs/blob-secrets.ts), the asynchronous twin of the synchronous key
// derivation readers use: the key it derives is the one deriveBlobKey derives from the same
// salt (else blobs would not decrypt), and every blob gets fresh random salt and nonce prefix.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { newBlobSecrets } from '../../src/store/blobs/blob-secrets';
import { NONCE_PREFIX_LENGTH, SALT_LENGTH, deriveBlobKey } from '../../src/store/blobs/format';

describe('blob secrets', () => {
  it('derive the key readers derive from the salt, with fresh random salt and nonce prefix', async () => {
    const master = crypto.randomBytes(32);
    const [a, b] = await Promise.all([newBlobSecrets(master), newBlobSecrets(master)]);
    for (const s of [a!, b!]) {
      assert.equal(s.salt.length, SALT_LENGTH);
      assert.equal(s.noncePrefix.length, NONCE_PREFIX_LENGTH);
      assert.deepEqual(s.key, deriveBlobKey(master, s.salt));
    }
    assert.notDeepEqual(a!.salt, b!.salt);
    assert.notDeepEqual(a!.noncePrefix, b!.noncePrefix);
  });
});
