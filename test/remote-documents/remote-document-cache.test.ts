// The remote-document cache over its real stores (the SQL index on PGlite and PostgreSQL, the
// encrypted blob store in a temp directory); the remote community is a fetcher function.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RemoteDocumentKey } from '../../src/remote-documents/ports';
import { RemoteDocumentCache, RemoteDocumentError, type RemoteDocumentCacheOptions, type RemoteFetch } from '../../src/remote-documents/remote-document-cache';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { SqlRemoteCacheIndex } from '../../src/store/sql/remote-documents/sql-remote-cache-index';
import { chunked, keyring, listFiles, newKey, readAll, sha1, tempDir } from '../blobs/helpers';
import { describeEachStore } from '../support/databases';

const COMMUNITY = 'urn:oid:1.2.203.99.1';
let serial = 0;
const docKey = (): RemoteDocumentKey => ({ homeCommunityId: COMMUNITY, repositoryUniqueId: '1.2.203.99.1.2', documentUniqueId: `1.2.203.99.1.3.${++serial}` });

/** A remote community holding `data`: counts its retrieves; `delayMs` before answering. */
function remote(data: Buffer, facts: Partial<RemoteFetch> = {}, delayMs = 0) {
  const calls = { count: 0 };
  const fetch = async (): Promise<RemoteFetch> => {
    calls.count += 1;
    if (delayMs) await sleep(delayMs);
    return { body: chunked(data), mimeType: 'text/plain', hash: sha1(data), size: data.length, ...facts };
  };
  return { calls, fetch };
}

/** A body that delivers `before` bytes, then fails like a connection reset. */
function failingBody(before: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(crypto.randomBytes(before));
      } else this.destroy(new Error('connection reset by remote'));
    },
  });
}

describeEachStore('RemoteDocumentCache', (ctx) => {
  let dir: string;
  let now: Date;
  let cache: RemoteDocumentCache;
  const open = async (options: Partial<RemoteDocumentCacheOptions> = {}) => {
    const bytes = await FsBlobStore.open(dir, keyring({ k: newKey() }, 'k'), { segmentSize: 4096 });
    cache = new RemoteDocumentCache(new SqlRemoteCacheIndex(ctx.db), bytes, { ttlMs: 60_000, maxBytes: 10 * 1024 * 1024, inlineUpTo: 0, now: () => now, ...options });
  };
  const blobFiles = async () => (await listFiles(dir)).filter((f) => !f.includes('.tmp-'));

  beforeEach(async () => {
    now = new Date('2026-12-07T10:00:00Z');
    dir = await tempDir('hie-rcache-');
    await ctx.db.query('DELETE FROM remote_document_cache');
    await open();
  });
  afterEach(async () => {
    await cache.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fetches on a miss, then serves the second read from the cache without calling the remote', async () => {
    const data = crypto.randomBytes(50_000);
    const community = remote(data, { patientId: 'P1^^^&1.2.3&ISO', version: '2' });
    const key = docKey();
    const first = await cache.read(key, community.fetch);
    assert.equal(first.hit, false);
    assert.ok((await readAll(first.open())).equals(data));
    const second = await cache.read(key, community.fetch);
    assert.equal(second.hit, true);
    assert.equal(community.calls.count, 1);
    assert.ok((await readAll(second.open())).equals(data));
    assert.ok((await readAll(second.open({ start: 100, end: 199 }))).equals(data.subarray(100, 200)));
    assert.deepEqual(
      { hash: second.hash, size: second.size, mimeType: second.mimeType, patientId: second.patientId, version: second.version, fetchedAt: second.fetchedAt.toISOString(), expiresAt: second.expiresAt.toISOString() },
      { hash: sha1(data), size: data.length, mimeType: 'text/plain', patientId: 'P1^^^&1.2.3&ISO', version: '2', fetchedAt: '2026-12-07T10:00:00.000Z', expiresAt: '2026-12-07T10:01:00.000Z' },
    );
  });

  it('keeps the bytes encrypted at rest', async () => {
    const data = Buffer.from('a remote discharge summary, '.repeat(400));
    await cache.read(docKey(), remote(data).fetch);
    const [file] = await blobFiles();
    const onDisk = await fs.readFile(path.join(dir, file!));
    assert.equal(onDisk.includes(Buffer.from('discharge summary')), false);
  });

  it('keeps a small document in its index row, encrypted, and serves it from there', async () => {
    await cache.close();
    await open({ inlineUpTo: 4096 });
    const data = Buffer.from('small remote document');
    const community = remote(data);
    const key = docKey();
    await cache.read(key, community.fetch);
    const hit = await cache.read(key, community.fetch);
    assert.equal(hit.hit, true);
    assert.ok((await readAll(hit.open())).equals(data));
    assert.deepEqual(await blobFiles(), []);
    const row = await ctx.db.query<{ content: Uint8Array }>('SELECT content FROM remote_document_cache');
    assert.equal(Buffer.from(row.rows[0]!.content).includes(data), false);
  });

  it('fetches an expired document again, replacing its bytes', async () => {
    const data = crypto.randomBytes(20_000);
    const community = remote(data);
    const key = docKey();
    await cache.read(key, community.fetch);
    now = new Date(now.getTime() + 59_000);
    assert.equal((await cache.read(key, community.fetch)).hit, true);
    now = new Date(now.getTime() + 1_000);
    const again = await cache.read(key, community.fetch);
    assert.equal(again.hit, false);
    assert.equal(community.calls.count, 2);
    assert.equal(again.expiresAt.getTime(), now.getTime() + 60_000);
    assert.equal((await blobFiles()).length, 1, 'the replaced copy is deleted');
    assert.ok((await readAll(again.open())).equals(data));
  });

  it('fetches again a document whose remote hash, size or version now differs', async () => {
    const key = docKey();
    const v1 = crypto.randomBytes(10_000);
    await cache.read(key, remote(v1, { version: '1' }).fetch);
    const v2 = crypto.randomBytes(12_000);
    const changed = remote(v2, { version: '2' });
    // The same facts: served from the cache.
    assert.equal((await cache.read(key, changed.fetch, { hash: sha1(v1).toUpperCase(), size: v1.length, version: '1' })).hit, true);
    for (const known of [{ hash: sha1(v2) }, { size: v2.length }, { version: '2' }]) {
      await cache.invalidate(key);
      await cache.read(key, remote(v1, { version: '1' }).fetch);
      const read = await cache.read(key, changed.fetch, known);
      assert.equal(read.hit, false, JSON.stringify(known));
      assert.ok((await readAll(read.open())).equals(v2));
    }
    assert.equal(changed.calls.count, 3);
  });

  it('drops a cached copy when a search reports different metadata, and keeps one that agrees', async () => {
    const key = docKey();
    const data = crypto.randomBytes(8_000);
    const community = remote(data);
    await cache.read(key, community.fetch);
    assert.equal(await cache.observe([{ key, facts: { hash: sha1(data), size: data.length } }, { key: docKey(), facts: { size: 1 } }]), 0);
    assert.equal((await cache.read(key, community.fetch)).hit, true);
    assert.equal(await cache.observe([{ key, facts: { size: data.length + 1 } }]), 1);
    assert.deepEqual(await blobFiles(), []);
    assert.equal((await cache.read(key, community.fetch)).hit, false);
    assert.equal(community.calls.count, 2);
  });

  it('evicts the least recently used documents beyond the size limit', async () => {
    await cache.close();
    await open({ maxBytes: 30_000, ttlMs: 3_600_000 });
    const docs = [0, 1, 2, 3].map(() => ({ key: docKey(), community: remote(crypto.randomBytes(10_000)) }));
    // Minutes apart: the index marks use in steps of a minute.
    for (const [i, d] of docs.slice(0, 3).entries()) {
      now = new Date(now.getTime() + 60_000 * (i + 1));
      await cache.read(d.key, d.community.fetch);
    }
    now = new Date(now.getTime() + 120_000);
    assert.equal((await cache.read(docs[0]!.key, docs[0]!.community.fetch)).hit, true, 'the oldest is used again');
    now = new Date(now.getTime() + 60_000);
    await cache.read(docs[3]!.key, docs[3]!.community.fetch);
    assert.deepEqual(await cache.totals(), { entries: 3, bytes: 30_000 });
    assert.equal((await blobFiles()).length, 3);
    assert.equal((await cache.lookup(docs[1]!.key)), undefined, 'the least recently used one went');
    for (const i of [0, 2, 3]) assert.ok(await cache.lookup(docs[i]!.key), `document ${i} stays`);
  });

  it('evicts expired documents before recently used ones', async () => {
    await cache.close();
    await open({ maxBytes: 20_000, ttlMs: 5_000 });
    const [a, b, c] = [0, 1, 2].map(() => ({ key: docKey(), community: remote(crypto.randomBytes(10_000)) }));
    await cache.read(a!.key, a!.community.fetch);
    now = new Date(now.getTime() + 4_000);
    await cache.read(b!.key, b!.community.fetch);
    now = new Date(now.getTime() + 2_000); // a expired, b not
    await cache.read(a!.key, a!.community.fetch); // a refetched: now the most recent
    await cache.read(c!.key, c!.community.fetch);
    assert.equal(await cache.lookup(b!.key), undefined);
    assert.deepEqual(await cache.totals(), { entries: 2, bytes: 20_000 });
  });

  it('fetches once for concurrent misses of one document', async () => {
    const data = crypto.randomBytes(30_000);
    const community = remote(data, {}, 100);
    const key = docKey();
    const reads = await Promise.all(Array.from({ length: 8 }, () => cache.read(key, community.fetch)));
    assert.equal(community.calls.count, 1);
    for (const r of reads) assert.ok((await readAll(r.open())).equals(data));
    assert.deepEqual(await cache.totals(), { entries: 1, bytes: data.length });
  });

  it('stores nothing when the remote fails half way, and fetches again on the next read', async () => {
    const key = docKey();
    await assert.rejects(cache.read(key, async () => ({ body: failingBody(20_000), mimeType: 'text/plain' })), /connection reset/);
    assert.deepEqual(await cache.totals(), { entries: 0, bytes: 0 });
    assert.deepEqual(await listFiles(dir), [], 'no blob and no temp file');
    const data = crypto.randomBytes(1000);
    const community = remote(data);
    assert.ok((await readAll((await cache.read(key, community.fetch)).open())).equals(data));
    assert.equal(community.calls.count, 1);
  });

  it('refuses bytes that disagree with the remote metadata, storing nothing', async () => {
    const data = crypto.randomBytes(5000);
    await assert.rejects(cache.read(docKey(), remote(data, { hash: sha1(Buffer.from('other')) }).fetch), (err: unknown) => err instanceof RemoteDocumentError && err.code === 'MISMATCH');
    await assert.rejects(cache.read(docKey(), remote(data, { size: 4000 }).fetch), (err: unknown) => err instanceof RemoteDocumentError && err.code === 'TOO_LARGE');
    await assert.rejects(cache.read(docKey(), remote(data, { size: 6000 }).fetch), (err: unknown) => err instanceof RemoteDocumentError && err.code === 'MISMATCH');
    assert.deepEqual(await cache.totals(), { entries: 0, bytes: 0 });
    assert.deepEqual(await listFiles(dir), []);
  });

  it('fetches again a document whose cached file is gone (a database restored without the cache directory)', async () => {
    const data = crypto.randomBytes(5000);
    const community = remote(data);
    const key = docKey();
    await cache.read(key, community.fetch);
    for (const f of await blobFiles()) await fs.rm(path.join(dir, f));
    const again = await cache.read(key, community.fetch);
    assert.equal(again.hit, false);
    assert.equal(community.calls.count, 2);
    assert.ok((await readAll(again.open())).equals(data));
  });

  it('sweeps blob files no index row names, and only those', async () => {
    const data = crypto.randomBytes(5000);
    await cache.read(docKey(), remote(data).fetch);
    const orphan = await FsBlobStore.open(dir, keyring({ k: newKey() }, 'k'));
    await orphan.put(chunked(data));
    await orphan.close();
    assert.equal((await blobFiles()).length, 2);
    const swept = await cache.sweepOrphans(0);
    assert.equal(swept.removedBlobs, 1);
    assert.equal((await blobFiles()).length, 1);
    assert.equal((await cache.totals()).entries, 1);
  });
});
