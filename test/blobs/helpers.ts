import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import type { BlobKeyring } from '../../src/store/blobs/keys';

export async function tempDir(prefix = 'hie-blobs-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function keyring(entries: Record<string, Buffer>, activeKeyId: string): BlobKeyring {
  return { keys: new Map(Object.entries(entries)), activeKeyId };
}

export function newKey(): Buffer {
  return crypto.randomBytes(32);
}

export function sha1(buf: Buffer): string {
  return crypto.createHash('sha1').update(buf).digest('hex');
}

/** A stream of `data` in irregular chunk sizes (1..maxChunk), as a network source would deliver it. */
export function chunked(data: Buffer, maxChunk = 5000): Readable {
  let offset = 0;
  let n = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      n += 1;
      const len = Math.min(data.length - offset, 1 + ((n * 7919) % maxChunk));
      this.push(data.subarray(offset, offset + len));
      offset += len;
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Reads until the stream fails; returns what was emitted before the error and the error. */
export async function readUntilError(stream: Readable): Promise<{ emitted: Buffer; error: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const c of stream) parts.push(c as Buffer);
  } catch (error) {
    return { emitted: Buffer.concat(parts), error };
  }
  return { emitted: Buffer.concat(parts), error: undefined };
}

/** Every file under dir (relative paths), to prove nothing was left behind. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  }
  await walk(dir);
  return out.sort();
}

export function blobPath(root: string, key: string): string {
  return path.join(root, key.slice(0, 2), key);
}

/** A store in a fresh directory with one key, for each test: `t.dir`, `t.key` and `t.store` are set before it runs and removed after. */
export function freshStorePerTest(keyId: string, segmentSize: number): { dir: string; key: Buffer; store: FsBlobStore } {
  const t = {} as { dir: string; key: Buffer; store: FsBlobStore };
  beforeEach(async () => {
    t.dir = await tempDir();
    t.key = newKey();
    t.store = await FsBlobStore.open(t.dir, keyring({ [keyId]: t.key }, keyId), { segmentSize });
  });
  afterEach(async () => {
    await t.store.close();
    await fs.rm(t.dir, { recursive: true, force: true });
  });
  return t;
}
