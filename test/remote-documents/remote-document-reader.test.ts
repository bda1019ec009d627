// readRemoteDocument over the real cache (SQL index, encrypted blobs) with the other
// community stood in by its two calls: the fan-out's GetDocuments (metadata) and the
// retrieval's stream (bytes). What a caller is told, and what is cached, in each case.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseDirectory } from '../../src/communities/parse-directory';
import { CommunityDirectory } from '../../src/communities/community-directory';
import type { CommunityFanOut, FanOutRequest } from '../../src/communities/fan-out';
import type { RemoteRetrieval } from '../../src/communities/remote-retrieve';
import { reachesPatient, SYSTEM_PRINCIPAL, type Principal } from '../../src/domain/principal';
import { RegistryError } from '../../src/domain/registry-error';
import type { RegistryObject } from '../../src/domain/metadata';
import { readRemoteDocument, type RemoteReadDeps } from '../../src/remote-documents/remote-document-reader';
import { RemoteDocumentCache } from '../../src/remote-documents/remote-document-cache';
import { FsBlobStore } from '../../src/store/blobs/fs-blob-store';
import { SqlRemoteCacheIndex } from '../../src/store/sql/remote-documents/sql-remote-cache-index';
import { chunked, keyring, newKey, readAll, sha1, tempDir } from '../blobs/helpers';
import { describeEachStore } from '../support/databases';
import { documentEntry } from '../support/metadata-builders';

const HCID = 'urn:oid:1.2.203.99.2';
const P1 = `7608139877^^^&2.25.61897394214018412226036367036446431779&ISO`;
const P2 = `7608139890^^^&2.25.61897394214018412226036367036446431779&ISO`;
let serial = 0;

function rejectsWith(code: string) {
  return (err: unknown) => err instanceof RegistryError && err.errors[0]!.code === code;
}

describeEachStore('readRemoteDocument', (ctx) => {
  let dir: string;
  let cache: RemoteDocumentCache;
  let remote: { patientId: string; bytes: Buffer; hash: string; body?: () => Readable };
  const calls = { metadata: 0, retrieve: 0 };

  const deps = (): RemoteReadDeps => ({
    directory: CommunityDirectory.of(parseDirectory(JSON.stringify({ [HCID]: { name: 'B', mhd: { baseUrl: 'https://b.example/fhir' } } })).values()),
    fanOut: {
      query: async (request: FanOutRequest) => {
        calls.metadata += 1;
        assert.equal(request.query.name, 'GetDocuments');
        const uniqueId = (request.query as { documentIds: { values: string[] } }).documentIds.values[0]!;
        const entry = { ...documentEntry(remote.patientId, { uniqueId, repositoryUniqueId: '1.2.203.99.2.1', hash: remote.hash, size: remote.bytes.length }), kind: 'DocumentEntry' as const };
        // The fan-out leaves out what the caller may not see, as the real one does.
        return { objects: reachesPatient(request.principal, entry.patientId) ? [entry as RegistryObject] : [], objectRefs: [], errors: [], communities: [], includesLocal: false };
      },
    } as unknown as CommunityFanOut,
    retrieval: {
      retrieve: async ({ documents }: { documents: Array<{ documentUniqueId: string; repositoryUniqueId: string }> }) => {
        calls.retrieve += 1;
        return { documents: [{ ...documents[0]!, homeCommunityId: HCID, mimeType: 'text/plain', open: () => (remote.body ?? (() => chunked(remote.bytes)))() }], errors: [], dispose: async () => undefined };
      },
    } as unknown as RemoteRetrieval,
    cache,
  });
  const key = () => ({ homeCommunityId: HCID, repositoryUniqueId: '1.2.203.99.2.1', documentUniqueId: `2.25.77.${++serial}` });
  const patient = (patientId: string): Principal => ({ subject: 'patient-app', patientId });

  beforeEach(async () => {
    await ctx.db.query('DELETE FROM remote_document_cache');
    dir = await tempDir('hie-rread-');
    cache = new RemoteDocumentCache(new SqlRemoteCacheIndex(ctx.db), await FsBlobStore.open(dir, keyring({ k: newKey() }, 'k')), { ttlMs: 60_000, maxBytes: 1e9, inlineUpTo: 0 });
    const bytes = crypto.randomBytes(20_000);
    remote = { patientId: P1, bytes, hash: sha1(bytes) };
    calls.metadata = 0;
    calls.retrieve = 0;
  });
  afterEach(async () => {
    await cache.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a miss looks the document up, fetches it once and keeps its patient; the next read asks nothing', async () => {
    const k = key();
    const first = await readRemoteDocument(deps(), k, SYSTEM_PRINCIPAL);
    assert.ok((await readAll(first.open())).equals(remote.bytes));
    const again = await readRemoteDocument(deps(), k, patient(P1));
    assert.deepEqual([again.hit, again.patientId, calls.metadata, calls.retrieve], [true, P1, 1, 1]);
  });

  it('a patient-context caller gets another patient\'s document neither from the cache nor from the community', async () => {
    const cachedKey = key();
    await readRemoteDocument(deps(), cachedKey, SYSTEM_PRINCIPAL);
    await assert.rejects(readRemoteDocument(deps(), cachedKey, patient(P2)), rejectsWith('XDSDocumentUniqueIdError'));
    await assert.rejects(readRemoteDocument(deps(), key(), patient(P2)), rejectsWith('XDSDocumentUniqueIdError'));
    assert.equal(calls.retrieve, 1, 'only the first, unrestricted read fetched');
  });

  it('a community the directory does not know is XDSUnknownCommunity', async () => {
    await assert.rejects(readRemoteDocument(deps(), { ...key(), homeCommunityId: 'urn:oid:1.2.203.99.404' }, SYSTEM_PRINCIPAL), rejectsWith('XDSUnknownCommunity'));
  });

  it('a stream that breaks, or bytes that are not the document, are XDSUnavailableCommunity and leave nothing cached', async () => {
    remote.body = () => new Readable({ read() { this.destroy(new Error('socket hang up')); } });
    await assert.rejects(readRemoteDocument(deps(), key(), SYSTEM_PRINCIPAL), (err: unknown) => rejectsWith('XDSUnavailableCommunity')(err) && /socket hang up/.test((err as Error).message));
    remote.body = undefined;
    remote.hash = sha1(Buffer.from('something else'));
    await assert.rejects(readRemoteDocument(deps(), key(), SYSTEM_PRINCIPAL), (err: unknown) => rejectsWith('XDSUnavailableCommunity')(err) && /SHA-1/.test((err as Error).message));
    assert.deepEqual(await cache.totals(), { entries: 0, bytes: 0 });
  });
});
