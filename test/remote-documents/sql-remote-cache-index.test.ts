// Contract of the remote-document cache's index (RemoteCacheIndex) on both stores.
import assert from 'node:assert/strict';
import type { CacheEntry, RemoteDocumentKey } from '../../src/remote-documents/ports';
import { SqlRemoteCacheIndex } from '../../src/store/sql/remote-documents/sql-remote-cache-index';
import { describeEachStore } from '../support/databases';

let serial = 0;
const T0 = new Date('2026-12-07T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function entry(overrides: Partial<CacheEntry> = {}): CacheEntry {
  serial += 1;
  return {
    homeCommunityId: 'urn:oid:1.2.203.99.2', repositoryUniqueId: '1.2.203.99.2.1', documentUniqueId: `2.25.${serial}`,
    blobKey: serial.toString(16).padStart(32, '0'), keyId: 'k', size: 100, hash: 'a'.repeat(40), mimeType: 'text/plain',
    fetchedAt: T0, expiresAt: at(60), ...overrides,
  };
}
const keyOf = (e: RemoteDocumentKey): RemoteDocumentKey => ({ homeCommunityId: e.homeCommunityId, repositoryUniqueId: e.repositoryUniqueId, documentUniqueId: e.documentUniqueId });

describeEachStore('SqlRemoteCacheIndex', (ctx) => {
  let index: SqlRemoteCacheIndex;
  beforeEach(async () => {
    await ctx.db.query('DELETE FROM remote_document_cache');
    index = new SqlRemoteCacheIndex(ctx.db);
  });

  it('keeps an entry with its facts and inline bytes, and serves it until it expires', async () => {
    const e = entry({ version: '3', patientId: 'P^^^&1.2&ISO', sealed: Buffer.from([1, 2, 3]) });
    assert.equal(await index.put(e, T0), undefined);
    const used = await index.use(keyOf(e), at(59));
    assert.deepEqual(used, e);
    assert.equal(await index.use(keyOf(e), at(60)), undefined, 'expired at expiresAt');
    assert.deepEqual((await index.peek([keyOf(e)])).map((x) => x.documentUniqueId), [e.documentUniqueId], 'an expired entry can still be peeked');
    assert.equal((await index.peek([keyOf(e)]))[0]!.sealed, undefined, 'peek reads no bytes');
  });

  it('replaces an entry in place and says which blob the old one named', async () => {
    const first = entry();
    await index.put(first, T0);
    const second = { ...first, blobKey: 'f'.repeat(32), hash: 'b'.repeat(40), size: 120 };
    assert.deepEqual(await index.put(second, at(1)), { blobKey: first.blobKey, inFile: true });
    assert.deepEqual(await index.totals(), { entries: 1, bytes: 120 });
    assert.deepEqual(await index.remove(keyOf(first)), { blobKey: second.blobKey, inFile: true });
    assert.equal(await index.remove(keyOf(first)), undefined);
  });

  it('evicts expired entries first, then the least recently used, never the one kept', async () => {
    // Minutes apart: use() moves last_used_at in steps of a minute.
    const min = (n: number) => at(n * 60);
    const [a, b, c, d] = [entry({ expiresAt: min(100) }), entry({ expiresAt: min(100) }), entry({ expiresAt: min(5) }), entry({ expiresAt: min(100) })];
    for (const [i, e] of [a, b, c, d].entries()) await index.put(e!, min(i));
    await index.use(keyOf(a!), min(4)); // a: most recently used
    const released = await index.evictBeyond(250, min(10), keyOf(d!));
    // c expired, then b is the least recently used; a and d stay.
    assert.deepEqual(released.map((r) => r.blobKey).sort(), [b!.blobKey, c!.blobKey].sort());
    assert.deepEqual(await index.totals(), { entries: 2, bytes: 200 });
    assert.deepEqual(await index.evictBeyond(50, min(10), keyOf(d!)).then((r) => r.map((x) => x.blobKey)), [a!.blobKey], 'the kept entry stays even alone above the limit');
  });

  it('marks use in steps of a minute', async () => {
    const [a, b] = [entry(), entry()];
    await index.put(a, T0);
    await index.put(b, at(1));
    await index.use(keyOf(a), at(30)); // within the minute: a stays older than b
    assert.deepEqual((await index.evictBeyond(100, at(40), keyOf(b))).map((r) => r.blobKey), [a.blobKey]);
  });

  it('tells which blob keys an entry names', async () => {
    const e = entry();
    await index.put(e, T0);
    assert.deepEqual(await index.referencedBlobKeys([e.blobKey, 'e'.repeat(32)]), new Set([e.blobKey]));
  });
});
