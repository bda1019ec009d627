/**
 * Blob encryption keys: the configured keyring (BLOB_KEYS / BLOB_ACTIVE_KEY) or, for the
 * zero-setup embedded default, one local key generated on first start under DATA_DIR.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_KEY_ID_LENGTH } from './format';
import { fsyncDir } from '../../fsync-dir';

export interface BlobKeyring {
  /** Key id -> 32-byte AES-256 master key. Every id a stored blob names must stay here to be readable. */
  keys: ReadonlyMap<string, Buffer>;
  /** Id of the key new blobs are written with. */
  activeKeyId: string;
}

export const LOCAL_KEY_FILE = 'blob-key.json';

interface LocalKeyFile {
  version: 1;
  keyId: string;
  key: string;
  created: string;
}

/** Throws unless the keyring is usable: the active id is present and every key is 32 bytes with a sane id. */
export function validateKeyring(ring: BlobKeyring): void {
  for (const [id, key] of ring.keys) {
    const idBytes = Buffer.byteLength(id, 'utf8');
    if (idBytes < 1 || idBytes > MAX_KEY_ID_LENGTH) throw new Error(`blob key id "${id.slice(0, 16)}" must be 1..${MAX_KEY_ID_LENGTH} bytes`);
    if (!Buffer.isBuffer(key) || key.length !== 32) throw new Error(`blob key "${id}" must be 32 bytes`);
  }
  if (!ring.keys.has(ring.activeKeyId)) throw new Error(`active blob key "${ring.activeKeyId}" is not in the keyring`);
}

async function readLocalKey(file: string): Promise<{ keyId: string; key: Buffer } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: Partial<LocalKeyFile>;
  try {
    parsed = JSON.parse(text) as Partial<LocalKeyFile>;
  } catch {
    throw new Error(`${file} is not valid JSON; refusing to replace it (blobs written with it would become unreadable)`);
  }
  const key = typeof parsed.key === 'string' ? Buffer.from(parsed.key, 'base64') : Buffer.alloc(0);
  if (typeof parsed.keyId !== 'string' || !parsed.keyId || key.length !== 32) {
    throw new Error(`${file} does not hold a keyId and a 32-byte base64 key`);
  }
  return { keyId: parsed.keyId, key };
}

/**
 * The embedded default's key: DATA_DIR/blob-key.json (mode 0600) is created with a random
 * 32-byte key on first call and read back on every later one.
 *
 * Creation is write-temp + fsync + link(): link() refuses to overwrite, so two processes
 * starting together agree on one key, and a crash never leaves a half-written key file that
 * a later start would replace (which would orphan every blob written with the first key).
 */
export async function generateOrLoadLocalKey(dataDir: string): Promise<BlobKeyring> {
  const file = path.join(dataDir, LOCAL_KEY_FILE);
  const existing = await readLocalKey(file);
  if (existing) return { keys: new Map([[existing.keyId, existing.key]]), activeKeyId: existing.keyId };

  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const content: LocalKeyFile = {
    version: 1,
    keyId: `local-${crypto.randomBytes(4).toString('hex')}`,
    key: crypto.randomBytes(32).toString('base64'),
    created: new Date().toISOString(),
  };
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process won the race: use its key.
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  await fsyncDir(dataDir);
  const loaded = await readLocalKey(file);
  if (!loaded) throw new Error(`${file} vanished right after creation`);
  return { keys: new Map([[loaded.keyId, loaded.key]]), activeKeyId: loaded.keyId };
}

/**
 * The keyring the gateway runs with. BLOB_KEYS unset: the local key (created if needed).
 * BLOB_KEYS set: those keys, plus the local key when a blob-key.json exists, read-only, so an
 * installation that started on the embedded default and later moved to managed keys keeps
 * reading its old blobs without copying the local key into BLOB_KEYS.
 */
export async function loadBlobKeyring(config: { dataDir: string; blobKeys: Map<string, Buffer>; blobActiveKeyId?: string }): Promise<BlobKeyring> {
  if (config.blobKeys.size === 0) return generateOrLoadLocalKey(config.dataDir);
  const activeKeyId = config.blobActiveKeyId ?? [...config.blobKeys.keys()][0]!;
  const keys = new Map(config.blobKeys);
  const local = await readLocalKey(path.join(config.dataDir, LOCAL_KEY_FILE));
  if (local) {
    const clash = keys.get(local.keyId);
    if (clash && !clash.equals(local.key)) {
      throw new Error(`BLOB_KEYS id "${local.keyId}" clashes with the local key in ${LOCAL_KEY_FILE} but holds a different key`);
    }
    keys.set(local.keyId, local.key);
  }
  const ring = { keys, activeKeyId };
  validateKeyring(ring);
  return ring;
}
