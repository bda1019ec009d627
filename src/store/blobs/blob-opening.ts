/**
 * Opening a blob for reading, shared by the stream (BlobReadStream) and the whole-blob read
 * (readWholeBlob): the header checked, the file's length checked against it (truncation is
 * refused before any decryption), the key found and the segment cipher ready.
 *
 * It costs as few system calls as the format allows, since on a busy gateway they, not the
 * decryption, set the pace (ITI-43 / ITI-68 profiles): one read takes the header and as many
 * whole segments as fit a read buffer, and the file's length comes from that read when it
 * reached the end, else from a stat — a document of up to a segment is open, read, close.
 * Read buffers are kept for the next reader rather than left to the garbage collector. A
 * sealed blob held in memory (an inline document) is read the same way, with the buffer
 * standing in for the file.
 */
import type { FileHandle } from 'node:fs/promises';
import { BlobError, type SealedBytes } from './blob-store';
import { checkFileLength, checkKey, openBlobFile, readFully } from './blob-files';
import { cachedBlobKey } from './derived-keys';
import {
  DEFAULT_SEGMENT_SIZE,
  FIXED_HEADER_LENGTH,
  MAX_KEY_ID_LENGTH,
  SegmentCipher,
  TAG_LENGTH,
  type BlobHeader,
  decodeHeader,
  expectedFileLength,
  segmentCount,
} from './format';
import type { BlobKeyring } from './keys';

const POOLED_BUFFER_LENGTH = FIXED_HEADER_LENGTH + MAX_KEY_ID_LENGTH + DEFAULT_SEGMENT_SIZE + TAG_LENGTH;
/** Enough for the concurrent downloads of a busy gateway; beyond that buffers are simply dropped. */
const MAX_POOLED_BUFFERS = 32;
const pooled: Buffer[] = [];

export function takeBuffer(length: number): Buffer {
  if (length <= POOLED_BUFFER_LENGTH) return pooled.pop() ?? Buffer.allocUnsafe(POOLED_BUFFER_LENGTH);
  return Buffer.allocUnsafe(length);
}

export function releaseBuffer(buf: Buffer): void {
  if (buf.length === POOLED_BUFFER_LENGTH && pooled.length < MAX_POOLED_BUFFERS) pooled.push(buf);
}

/** Where the blob's bytes are: its file (named once the key is checked), or the sealed bytes (or their loader). */
export type BlobLocation = { pathFor: (key: string) => string } | { sealed: SealedBytes };

export interface OpenedBlob {
  /** The open file; none for sealed bytes. */
  fh: FileHandle | undefined;
  /** The file's first bytes (a pooled buffer), or the caller's sealed bytes. */
  buf: Buffer;
  /** How many bytes of the file `buf` holds, from its start. */
  bufEnd: number;
  fileSize: number;
  header: BlobHeader;
  cipher: SegmentCipher;
  segments: number;
}

async function open(location: BlobLocation, key: string, keyring: BlobKeyring, opened: Partial<OpenedBlob>): Promise<OpenedBlob> {
  checkKey(key);
  let buf: Buffer;
  let bufEnd: number;
  let fileSize: number;
  const fh = 'sealed' in location ? undefined : (opened.fh = await openBlobFile(location.pathFor(key), key));
  if (!fh) {
    // Every segment is already in the sealed bytes.
    const { sealed } = location as { sealed: SealedBytes };
    buf = typeof sealed === 'function' ? await sealed() : sealed;
    fileSize = bufEnd = buf.length;
  } else {
    buf = opened.buf = takeBuffer(POOLED_BUFFER_LENGTH);
    bufEnd = (await fh.read(buf, 0, buf.length, 0)).bytesRead;
    // A read of a regular file stops short of what was asked only at its end.
    fileSize = bufEnd < buf.length ? bufEnd : (await fh.stat()).size;
  }
  let header = decodeHeader(buf.subarray(0, bufEnd), key);
  if (fh && bufEnd < buf.length && fileSize !== expectedFileLength(header)) {
    // The short read was not the end after all (or the file is cut): the file's own length decides.
    fileSize = (await fh.stat()).size;
    bufEnd = await readFully(fh, buf, Math.min(fileSize, buf.length), 0);
    header = decodeHeader(buf.subarray(0, bufEnd), key);
  }
  checkFileLength(header, fileSize, key);
  const masterKey = keyring.keys.get(header.keyId);
  if (!masterKey) {
    throw new BlobError('UNKNOWN_KEY_ID', `blob ${key} is encrypted with key id "${header.keyId}", which is not configured (BLOB_KEYS)`, key);
  }
  // A copy: the read buffer is reused for later segments, the cipher keeps the header as AAD.
  const headerBytes = Buffer.from(buf.subarray(0, header.headerLength));
  const cipher = new SegmentCipher(cachedBlobKey(masterKey, header.salt), header.noncePrefix, headerBytes, key);
  return { fh, buf, bufEnd, fileSize, header, cipher, segments: segmentCount(header.plaintextSize, header.segmentSize) };
}

/** Opens the blob; on failure nothing stays open (the file is closed, the buffer back in the pool). */
export async function openBlob(location: BlobLocation, key: string, keyring: BlobKeyring): Promise<OpenedBlob> {
  const opened: Partial<OpenedBlob> = {};
  try {
    return await open(location, key, keyring, opened);
  } catch (err) {
    await closeBlob(opened);
    throw err;
  }
}

/** Closes the file and pools its buffer (only then free: close() waits for a read still in flight on the handle). */
export async function closeBlob(blob: Partial<Pick<OpenedBlob, 'fh' | 'buf'>>): Promise<void> {
  const { fh, buf } = blob;
  if (!fh) return; // Without a file, `buf` is the caller's sealed buffer (or none): not ours to pool.
  await fh.close();
  if (buf) releaseBuffer(buf);
}
