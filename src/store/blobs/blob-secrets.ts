/**
 * A new blob's secrets: random salt and nonce prefix, and the AES key derived from the salt.
 * Both the random bytes and HKDF run on libuv's thread pool: a submission of hundreds of small
 * (inline) documents otherwise did all of it on the event loop, one document after the other,
 * without waiting on anything (issue 11 measured ~60 us a document on a busy machine).
 */
import crypto from 'node:crypto';
import { NONCE_PREFIX_LENGTH, SALT_LENGTH, deriveBlobKeyAsync } from './format';

export interface BlobSecrets {
  salt: Buffer;
  noncePrefix: Buffer;
  /** The blob's AES-256 key: HKDF-SHA256(master key, salt). */
  key: Buffer;
}

function randomBytes(length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.randomFill(Buffer.alloc(length), (err, bytes) => (err ? reject(err) : resolve(bytes)));
  });
}

export async function newBlobSecrets(masterKey: Buffer): Promise<BlobSecrets> {
  const random = await randomBytes(SALT_LENGTH + NONCE_PREFIX_LENGTH);
  const salt = random.subarray(0, SALT_LENGTH);
  return { salt, noncePrefix: random.subarray(SALT_LENGTH), key: await deriveBlobKeyAsync(masterKey, salt) };
}
