/**
 * Temporary file for an MTOM part the consumer is not reading yet (see attachments.ts).
 *
 * Documents are health data, so the spool is encrypted: AES-256-CTR under a random key and IV
 * that exist only in this object. A file left behind by a crash is unreadable noise; the blob
 * store, not this file, is where integrity matters (CTR needs no padding, so sizes match and
 * reads can stream). Files are created exclusively with mode 0600 and removed after reading or
 * on dispose. A full or failing disk surfaces as a StorageError, like the blob store's.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { writeAll } from '../file-writes';
import { storageErrorOf } from '../storage-error';

const WHAT = 'the MTOM spool file';

/** Runs a spool write, a full or failing disk becoming a StorageError. */
async function writing<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw storageErrorOf(err, 'write', WHAT);
  }
}

export class SpoolFile {
  private bytes = 0;
  private removed: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: fs.promises.FileHandle,
    private readonly key: Buffer,
    private readonly iv: Buffer,
    private readonly cipher: crypto.Cipher,
  ) {}

  static async create(dir: string): Promise<SpoolFile> {
    const file = path.join(dir, `hie-mtom-${crypto.randomBytes(12).toString('hex')}.spool`);
    const handle = await writing(fs.promises.open(file, 'wx', 0o600));
    const key = crypto.randomBytes(32);
    const iv = crypto.randomBytes(16);
    return new SpoolFile(file, handle, key, iv, crypto.createCipheriv('aes-256-ctr', key, iv));
  }

  get size(): number {
    return this.bytes;
  }

  /** Appends a chunk; awaiting each write is the backpressure. */
  async write(chunk: Uint8Array): Promise<void> {
    const encrypted = this.cipher.update(chunk);
    // CTR keeps lengths: the plaintext written so far is where this ciphertext goes.
    await writing(writeAll(this.handle, [encrypted], this.bytes));
    this.bytes += chunk.length;
  }

  async finish(): Promise<void> {
    const rest = this.cipher.final();
    if (rest.length > 0) await writing(writeAll(this.handle, [rest], this.bytes));
    await writing(this.handle.close());
  }

  /** Plaintext stream of what was written; the file is removed when the stream ends or is destroyed. */
  createReadStream(): Readable {
    const decipher = crypto.createDecipheriv('aes-256-ctr', this.key, this.iv);
    return pipeline(fs.createReadStream(this.path), decipher, () => void this.remove());
  }

  /** Removes the file (idempotent; closes the handle if writing never finished). */
  remove(): Promise<void> {
    this.removed ??= this.handle
      .close()
      .catch(() => undefined)
      .then(() => fs.promises.rm(this.path, { force: true }))
      .catch(() => undefined);
    return this.removed;
  }
}
