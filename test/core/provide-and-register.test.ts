import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import type { Submission } from '../../src/domain/submission';
import type { Registry } from '../../src/registry/registry';
import { provideAndRegister, type DocumentContent } from '../../src/repository/provide-and-register';
import type { RepositoryService } from '../../src/repository/repository-service';
import { describeEachStore } from '../support/databases';
import { documentEntry, patientCx, REPOSITORY_ID, sha1, submission } from '../support/metadata-builders';
import { countRows } from '../support/registry-fixture';
import { withRepositoryAndPatient } from '../support/repository-fixture';

async function blobFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && !e.name.endsWith('.json')) out.push(path.join(e.parentPath, e.name));
  return out;
}

describeEachStore('provide and register', (ctx) => {
  let registry: Registry;
  let repo: RepositoryService;
  let blobDir: string;
  let patient: string;
  withRepositoryAndPatient(ctx, (s) => ({ registry, repo, blobDir, patient } = s));

  function withContent(body: string, overrides: Parameters<typeof documentEntry>[1] = {}): { s: Submission; contents: DocumentContent[] } {
    const d = documentEntry(patient, { hash: sha1(body), size: Buffer.byteLength(body), ...overrides });
    delete (d as { repositoryUniqueId?: string }).repositoryUniqueId;
    return { s: submission(patient, { documents: [d] }), contents: [{ entryUuid: d.entryUuid, source: Readable.from([Buffer.from(body)]) }] };
  }

  const deps = () => ({ registry, repository: repo });

  it('stores the bytes, fills hash/size/repositoryUniqueId and retrieves them', async () => {
    const { s, contents } = withContent('Propouštěcí zpráva — obsah', { hash: undefined as unknown as string, size: undefined as unknown as number });
    const r = await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    const row = await ctx.db.query<{ hash: string; size: number; repository_unique_id: string }>('SELECT hash, size, repository_unique_id FROM document_entries WHERE unique_id = $1', [s.documents[0]!.uniqueId]);
    assert.equal(row.rows[0]!.hash, sha1('Propouštěcí zpráva — obsah'));
    assert.equal(Number(row.rows[0]!.size), Buffer.byteLength('Propouštěcí zpráva — obsah'));
    assert.equal(row.rows[0]!.repository_unique_id, REPOSITORY_ID);
    const doc = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: s.documents[0]!.uniqueId });
    assert.equal(await text(doc.open()), 'Propouštěcí zpráva — obsah');
    assert.equal(doc.mimeType, 'text/plain');
  });

  it('a wrong hash fails with XDSRepositoryMetadataError and leaves neither rows nor blobs', async () => {
    const before = (await blobFiles(blobDir)).length;
    const { s, contents } = withContent('actual bytes', { hash: sha1('other bytes') });
    const r = await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Failure');
    assert.equal(r.errors[0]!.code, 'XDSRepositoryMetadataError');
    assert.equal((await blobFiles(blobDir)).length, before);
    const rows = await ctx.db.query('SELECT 1 FROM document_entries WHERE unique_id = $1', [s.documents[0]!.uniqueId]);
    assert.equal(rows.rowCount, 0);
  });

  it('a registry rejection after the bytes were stored removes the blobs', async () => {
    const before = (await blobFiles(blobDir)).length;
    const { s, contents } = withContent('bytes of an unknown patient');
    const stranger = patientCx();
    s.submissionSet.patientId = stranger;
    s.documents[0]!.patientId = stranger;
    const r = await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL);
    assert.equal(r.errors[0]!.code, 'XDSUnknownPatientId');
    assert.equal((await blobFiles(blobDir)).length, before);
    assert.equal(await countRows(ctx.db, 'repository_documents'), (await ctx.db.query('SELECT 1 FROM document_entries WHERE repository_unique_id IS NOT NULL AND object_type = $1', ['stable'])).rowCount);
  });

  it('document without bytes: XDSMissingDocument; bytes without document: XDSMissingDocumentMetadata', async () => {
    const { s } = withContent('x');
    const missing = await provideAndRegister(deps(), s, [], SYSTEM_PRINCIPAL);
    assert.equal(missing.errors[0]!.code, 'XDSMissingDocument');
    const { s: s2, contents } = withContent('y');
    const extra = await provideAndRegister(deps(), s2, [...contents, { entryUuid: 'Document-ghost', source: Readable.from([Buffer.from('z')]) }], SYSTEM_PRINCIPAL);
    assert.equal(extra.errors[0]!.code, 'XDSMissingDocumentMetadata');
  });

  it('an identical retry stores no second blob', async () => {
    const { s, contents } = withContent('same bytes twice');
    assert.equal((await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL)).status, 'Success');
    const before = (await blobFiles(blobDir)).length;
    const again = await provideAndRegister(deps(), structuredClone(s), [{ entryUuid: s.documents[0]!.entryUuid, source: Readable.from([Buffer.from('same bytes twice')]) }], SYSTEM_PRINCIPAL);
    assert.equal(again.status, 'Success');
    assert.equal((await blobFiles(blobDir)).length, before);
  });

  it('retrieve of an unknown document or repository gives the XDS error', async () => {
    await assert.rejects(repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: '1.2.3.404' }), /XDSDocumentUniqueIdError/);
    await assert.rejects(repo.retrieve({ repositoryUniqueId: '1.2.3.999', documentUniqueId: '1.2.3.404' }), /XDSUnknownRepositoryId/);
  });

  it('ITI-86 remove deletes bytes and index, reporting unknown items', async () => {
    const { s, contents } = withContent('to be removed');
    await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL);
    const uid = s.documents[0]!.uniqueId;
    const before = (await blobFiles(blobDir)).length;
    const r = await repo.remove([{ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uid }, { repositoryUniqueId: REPOSITORY_ID, documentUniqueId: '1.2.3.404' }]);
    assert.equal(r.removed.length, 1);
    assert.deepEqual(r.errors.map((e) => e.code), ['XDSDocumentUniqueIdError']);
    assert.equal((await blobFiles(blobDir)).length, before - 1);
    await assert.rejects(repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: uid }), /XDSDocumentUniqueIdError/);
  });

  it('the orphan sweep removes a blob that no index row references', async () => {
    const stray = await repo.documents.storeDocument(Readable.from([Buffer.from('left by a crash')]));
    const { s, contents } = withContent('kept');
    await provideAndRegister(deps(), s, contents, SYSTEM_PRINCIPAL);
    const swept = await repo.sweepOrphans(0);
    assert.equal(swept.removedBlobs, 1);
    await assert.rejects(text(repo.documents.openDocument(stray.blobKey)));
    const kept = await repo.retrieve({ repositoryUniqueId: REPOSITORY_ID, documentUniqueId: s.documents[0]!.uniqueId });
    assert.equal(await text(kept.open()), 'kept');
  });
});
