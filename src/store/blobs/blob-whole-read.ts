/**
 * A small blob's whole plaintext in one go: open, read, decrypt, close, with no stream between
 * the file and the caller (an ITI-68 of a small document answers with the buffer). Each segment
 * is authenticated before any of its bytes are returned, as the stream does.
 */
import { storageErrorOf } from '../../storage-error';
import { closeBlob, openBlob, type BlobLocation } from './blob-opening';
import { TAG_LENGTH } from './format';
import type { BlobKeyring } from './keys';

/** The plaintext; undefined when the blob's file is larger than one read brings in (stream it instead). */
export async function readWholeBlob(location: BlobLocation, key: string, keyring: BlobKeyring): Promise<Buffer | undefined> {
  try {
    return await decryptWhole(location, key, keyring);
  } catch (err) {
    // A failing disk (EIO, ...) as a StorageError, as the stream reports it.
    throw storageErrorOf(err, 'read', `document ${key}`);
  }
}

async function decryptWhole(location: BlobLocation, key: string, keyring: BlobKeyring): Promise<Buffer | undefined> {
  const blob = await openBlob(location, key, keyring);
  try {
    if (blob.bufEnd < blob.fileSize) return undefined;
    const { plaintextSize: size, segmentSize: S, headerLength } = blob.header;
    const plain: Buffer[] = [];
    for (let i = 0; i < blob.segments; i++) {
      const final = i === blob.segments - 1;
      const plainLength = final ? size - i * S : S;
      const at = headerLength + i * (S + TAG_LENGTH);
      const ciphertext = blob.buf.subarray(at, at + plainLength);
      const tag = blob.buf.subarray(at + plainLength, at + plainLength + TAG_LENGTH);
      plain.push(blob.cipher.open(i, ciphertext, tag, final, size, key));
    }
    return plain.length === 1 ? plain[0]! : Buffer.concat(plain, size);
  } finally {
    await closeBlob(blob);
  }
}
