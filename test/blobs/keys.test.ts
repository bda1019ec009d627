import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseBlobKeys } from '../../src/config';
import { openBlobStoreFromConfig } from '../../src/store/blobs';
import { generateOrLoadLocalKey, loadBlobKeyring, LOCAL_KEY_FILE } from '../../src/store/blobs/keys';
import { chunked, readAll, tempDir } from './helpers';

const execFileAsync = promisify(execFile);

describe('blob keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('hie-blob-keys-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('generates the local key once (mode 0600) and reuses it', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await generateOrLoadLocalKey(dataDir);
    const key = first.keys.get(first.activeKeyId)!;
    assert.equal(key.length, 32);
    assert.match(first.activeKeyId, /^local-[0-9a-f]{8}$/);
    const file = path.join(dataDir, LOCAL_KEY_FILE);
    if (process.platform !== 'win32') assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    const second = await generateOrLoadLocalKey(dataDir);
    assert.equal(second.activeKeyId, first.activeKeyId);
    assert.ok(second.keys.get(second.activeKeyId)!.equals(key));
    assert.deepEqual((await fs.readdir(dataDir)).sort(), [LOCAL_KEY_FILE]);
  });

  it('agrees on one key when several callers start at once', async () => {
    const rings = await Promise.all(Array.from({ length: 8 }, () => generateOrLoadLocalKey(dir)));
    assert.equal(new Set(rings.map((r) => r.activeKeyId)).size, 1);
    assert.deepEqual(await fs.readdir(dir), [LOCAL_KEY_FILE]);
  });

  it('agrees on one key when several processes start at once', async () => {
    const dataDir = path.join(dir, 'shared');
    const modulePath = path.join(__dirname, '..', '..', 'src', 'store', 'blobs', 'keys.js');
    const script = `require(${JSON.stringify(modulePath)}).generateOrLoadLocalKey(process.argv[1]).then((r) => process.stdout.write(r.activeKeyId + ':' + r.keys.get(r.activeKeyId).toString('hex')))`;
    const outputs = await Promise.all(Array.from({ length: 4 }, async () => (await execFileAsync(process.execPath, ['-e', script, dataDir])).stdout));
    assert.equal(new Set(outputs).size, 1, outputs.join('\n'));
    assert.deepEqual(await fs.readdir(dataDir), [LOCAL_KEY_FILE]);
  });

  it('refuses to replace a corrupted key file', async () => {
    await fs.writeFile(path.join(dir, LOCAL_KEY_FILE), '{"keyId": "local-1", "key": "c2hvcnQ="}');
    await assert.rejects(generateOrLoadLocalKey(dir), /32-byte/);
    await fs.writeFile(path.join(dir, LOCAL_KEY_FILE), '{ not json');
    await assert.rejects(generateOrLoadLocalKey(dir), /not valid JSON/);
  });

  it('uses BLOB_KEYS when configured, keeping an earlier local key readable', async () => {
    const local = await generateOrLoadLocalKey(dir);
    const blobKeys = parseBlobKeys(`a:${crypto.randomBytes(32).toString('base64')},b:${crypto.randomBytes(32).toString('base64')}`);
    const ring = await loadBlobKeyring({ dataDir: dir, blobKeys, blobActiveKeyId: 'b' });
    assert.equal(ring.activeKeyId, 'b');
    assert.deepEqual([...ring.keys.keys()].sort(), ['a', 'b', local.activeKeyId].sort());
  });

  it('rejects a BLOB_KEYS id that clashes with the local key', async () => {
    const local = await generateOrLoadLocalKey(dir);
    const blobKeys = new Map([[local.activeKeyId, crypto.randomBytes(32)]]);
    await assert.rejects(loadBlobKeyring({ dataDir: dir, blobKeys }), /clashes/);
  });

  it('moves from the embedded default to managed keys without losing old documents', async () => {
    const embedded = await openBlobStoreFromConfig({ dataDir: dir, blobKeys: new Map() });
    const doc = await embedded.put(chunked(Buffer.from('written on the embedded default')));
    assert.match(doc.keyId, /^local-/);
    const managed = await openBlobStoreFromConfig({ dataDir: dir, blobKeys: parseBlobKeys(`hsm1:${crypto.randomBytes(32).toString('base64')}`) });
    const doc2 = await managed.put(chunked(Buffer.from('new')));
    assert.equal(doc2.keyId, 'hsm1');
    assert.equal((await readAll(managed.get(doc.key))).toString(), 'written on the embedded default');
    assert.equal(managed.root, path.join(dir, 'blobs'));
  });
});
