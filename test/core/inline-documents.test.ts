import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../../src/config';
import type { DocumentEntry } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import type { Submission } from '../../src/domain/submission';
import type { Registry } from '../../src/registry/registry';
import { provideAndRegister, type DocumentContent } from '../../src/repository/provide-and-register';
import { BlobError } from '../../src/store/blobs/blob-store';
import type { RepositoryService } from '../../src/repository/repository-service';
import { describeEachStore } from '../support/databases';
import { documentEntry, patientCx, REPOSITORY_ID, sha1, submission } from '../support/metadata-builders';
import { withRepositoryAndPatient } from '../support/repository-fixture';

const INLINE_UP_TO = 4096;
/** Three 3,000-byte documents (about 3,100 bytes each, sealed) stay below it: a fourth still goes inline, then it is spent. */
const INLINE_BUDGET = 9_400;

async function fileCount(dir: string): Promise<number> {
  return (await readdir(dir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).length;
}

describeEachStore('documents kept inline in the repository row', (ctx) => {
  let registry: Registry;
  let repo: RepositoryService;
  let blobDir: string;
  let patient: string;
  withRepositoryAndPatient(ctx, (s) => ({ registry, repo, blobDir, patient } = s), { inlineUpTo: INLINE_UP_TO, inlineBytesPerSubmission: INLINE_BUDGET });

  function withContent(bytes: Buffer, overrides: Parameters<typeof documentEntry>[1] = {}): { s: Submission; contents: DocumentContent[]; uniqueId: string } {
    const d = documentEntry(patient, { hash: sha1(bytes), size: bytes.length, ...overrides });
    delete (d as { repositoryUniqueId?: string }).repositoryUniqueId;
    return { s: submission(patient, { documents: [d] }), contents: [{ entryUuid: d.entryUuid, source: Readable.from([bytes]) }], uniqueId: d.uniqueId };
  }

  /** One submission with a document per body; returns the DocumentEntries in body order. */
  async function provideAll(bodies: Buffer[]): Promise<DocumentEntry[]> {
    const docs = bodies.map((b) => withContent(b).s.documents[0]!);
    const contents = docs.map((d, i) => ({ entryUuid: d.entryUuid, source: Readable.from([bodies[i]!]) }));
    const r = await provideAndRegister({ registry, repository: repo }, submission(patient, { documents: docs }), contents, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    return docs;
  }

  async function content(uniqueId: string): Promise<Buffer | null | undefined> {
    const r = await ctx.db.query<{ content: Uint8Array | null }>('SELECT content FROM repository_documents WHERE document_unique_id = $1', [uniqueId]);
    const c = r.rows[0]?.content;
    return c === undefined || c === null ? c : Buffer.from(c);
  }

  it('a small document commits in its index row, encrypted, with no file, and retrieves whole and in part', async () => {
    const files = await fileCount(blobDir);
    const bytes = Buffer.from('Lékařská zpráva: '.repeat(100));
    const { s, contents, uniqueId } = withContent(bytes);
    assert.equal((await provideAndRegister({ registry, repository: repo }, s, contents, SYSTEM_PRINCIPAL)).status, 'Success');
    assert.equal(await fileCount(blobDir), files);
    const stored = await content(uniqueId);
    assert.ok(stored && stored.length > bytes.length, 'sealed bytes in the row');
    assert.equal(stored.indexOf(bytes.subarray(0, 20)), -1, 'no plaintext in the row');
    const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId });
    assert.ok((await buffer(doc.open())).equals(bytes));
    assert.ok((await buffer(doc.open({ start: 17, end: 33 }))).equals(bytes.subarray(17, 34)));
  });

  it('several documents of one submission, inline and in a file, each keep their own bytes', async () => {
    const bodies = [Buffer.from('první'), randomBytes(INLINE_UP_TO + 10), Buffer.from('třetí'), Buffer.alloc(0)];
    const docs = await provideAll(bodies);
    for (const [i, d] of docs.entries()) {
      const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: d.uniqueId });
      assert.ok((await buffer(doc.open())).equals(bodies[i]!), `document ${i}`);
      assert.equal((await content(d.uniqueId)) === null, i === 1, `document ${i} inline`);
    }
  });

  it('once a submission has held its inline budget, its further small documents stream to files', async () => {
    const files = await fileCount(blobDir);
    const bodies = Array.from({ length: 6 }, () => randomBytes(3000));
    const docs = await provideAll(bodies);
    const inline: boolean[] = [];
    for (const [i, d] of docs.entries()) {
      inline.push((await content(d.uniqueId)) !== null);
      const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: d.uniqueId });
      assert.ok((await buffer(doc.open())).equals(bodies[i]!), `document ${i}`);
    }
    assert.deepEqual(inline, [true, true, true, true, false, false]);
    assert.equal(await fileCount(blobDir), files + 2);
  });

  it('a document over the limit goes to a blob file as before', async () => {
    const files = await fileCount(blobDir);
    const bytes = randomBytes(INLINE_UP_TO + 1);
    const { s, contents, uniqueId } = withContent(bytes);
    assert.equal((await provideAndRegister({ registry, repository: repo }, s, contents, SYSTEM_PRINCIPAL)).status, 'Success');
    assert.equal(await fileCount(blobDir), files + 1);
    assert.equal(await content(uniqueId), null);
    const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId });
    assert.ok((await buffer(doc.open())).equals(bytes));
  });

  it('a refused submission leaves neither row nor file', async () => {
    const files = await fileCount(blobDir);
    const { s, contents, uniqueId } = withContent(Buffer.from('bytes of an unknown patient'));
    const stranger = patientCx();
    s.submissionSet.patientId = stranger;
    s.documents[0]!.patientId = stranger;
    const r = await provideAndRegister({ registry, repository: repo }, s, contents, SYSTEM_PRINCIPAL);
    assert.equal(r.errors[0]!.code, 'XDSUnknownPatientId');
    assert.equal(await content(uniqueId), undefined);
    assert.equal(await fileCount(blobDir), files);
  });

  it('a retrieve reads the bytes when its stream starts: a document removed in between fails the stream (NOT_FOUND)', async () => {
    const { s, contents, uniqueId } = withContent(Buffer.from('removed before it was read'));
    await provideAndRegister({ registry, repository: repo }, s, contents, SYSTEM_PRINCIPAL);
    const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId });
    assert.equal(doc.inline, true);
    await repo.remove([{ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId }]);
    await assert.rejects(buffer(doc.open()), (err: unknown) => err instanceof BlobError && err.code === 'NOT_FOUND');
  });

  it('ITI-86 removes an inline document with its row', async () => {
    const { s, contents, uniqueId } = withContent(Buffer.from('to be removed'));
    await provideAndRegister({ registry, repository: repo }, s, contents, SYSTEM_PRINCIPAL);
    const r = await repo.remove([{ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId }]);
    assert.equal(r.removed.length, 1);
    assert.equal(await content(uniqueId), undefined);
    await assert.rejects(repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uniqueId }), /no document/);
  });
});

describe('DOCUMENT_INLINE_MAX_BYTES', () => {
  it('defaults to 64 KiB, takes 0 for "all in files", and refuses what one blob segment cannot hold', () => {
    assert.equal(loadConfig({ AUTH: 'off' }).documentInlineMaxBytes, 65536);
    assert.equal(loadConfig({ AUTH: 'off', DOCUMENT_INLINE_MAX_BYTES: '0' }).documentInlineMaxBytes, 0);
    for (const bad of ['-1', '2000000', '1.5', 'lots']) {
      assert.throws(() => loadConfig({ AUTH: 'off', DOCUMENT_INLINE_MAX_BYTES: bad }), /DOCUMENT_INLINE_MAX_BYTES/, bad);
    }
  });
});
