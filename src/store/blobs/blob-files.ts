/** Blob files on disk: key checks, opening, reading exactly, and the header checked against the file's length. */
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { BlobError } from './blob-store';
import { decodeHeader, expectedFileLength, FIXED_HEADER_LENGTH, MAX_KEY_ID_LENGTH, type BlobHeader } from './format';

export const KEY_PATTERN = /^[0-9a-f]{32}$/;

export function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

export function checkKey(key: string): void {
  // Also the path-traversal guard: only 32 hex chars ever reach path.join().
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new BlobError('INVALID_KEY', `not a blob key: ${JSON.stringify(String(key).slice(0, 40))}`);
}

export async function readFully(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

export async function openBlobFile(file: string, key: string): Promise<FileHandle> {
  try {
    return await fs.open(file, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new BlobError('NOT_FOUND', `blob ${key} does not exist`, key, { cause: err });
    throw err;
  }
}

/** A truncated or padded file is refused before any decryption. */
export function checkFileLength(header: BlobHeader, fileSize: number, key: string): void {
  const expected = expectedFileLength(header);
  if (fileSize !== expected) {
    throw new BlobError('INTEGRITY', `blob ${key}: file is ${fileSize} bytes, header implies ${expected} (truncated or corrupted)`, key);
  }
}

/** Reads the header and checks it against the actual file length. */
export async function readHeader(fh: FileHandle, key: string): Promise<{ header: BlobHeader; fileSize: number; mtime: Date }> {
  const buf = Buffer.alloc(FIXED_HEADER_LENGTH + MAX_KEY_ID_LENGTH);
  const n = await readFully(fh, buf, buf.length, 0);
  const header = decodeHeader(buf.subarray(0, n), key);
  const st = await fh.stat();
  checkFileLength(header, st.size, key);
  return { header, fileSize: st.size, mtime: st.mtime };
}
