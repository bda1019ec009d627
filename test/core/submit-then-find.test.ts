import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { AssociationType } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import type { Registry } from '../../src/registry/registry';
import { provideAndRegister } from '../../src/repository/provide-and-register';
import type { RepositoryService } from '../../src/repository/repository-service';
import { describeEachStore } from '../support/databases';
import { association, documentEntry, patientCx, sha1, submission } from '../support/metadata-builders';
import { withRepositoryAndPatient } from '../support/repository-fixture';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';

// The core end to end: what provide-and-register stores, the stored queries find, and the
// repository returns; a replacement changes what FindDocuments answers.
describeEachStore('core: provide, find, retrieve', (ctx) => {
  let registry: Registry;
  let repo: RepositoryService;
  let patient: string;
  withRepositoryAndPatient(ctx, (s) => ({ registry, repo, patient } = s));

  const find = (status: string, principal = SYSTEM_PRINCIPAL) =>
    registry.query(validateStoredQuery({ queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryPatientId: [[patient]], $XDSDocumentEntryStatus: [[status]] } }), principal);

  it('a provided document is found by FindDocuments and retrieved by its uniqueId', async () => {
    const d = documentEntry(patient, { hash: sha1('zpráva'), size: Buffer.byteLength('zpráva') });
    const r = await provideAndRegister({ registry, repository: repo }, submission(patient, { documents: [d] }), [{ entryUuid: d.entryUuid, source: Readable.from([Buffer.from('zpráva')]) }], SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    const found = await find(APPROVED);
    assert.equal(found.objects.length, 1);
    const entry = found.objects[0]!;
    assert.equal(entry.kind, 'DocumentEntry');
    if (entry.kind !== 'DocumentEntry') return;
    assert.equal(entry.uniqueId, d.uniqueId);
    assert.equal(entry.hash, sha1('zpráva'));
    const doc = await repo.retrieve({ repositoryUniqueId: entry.repositoryUniqueId!, documentUniqueId: entry.uniqueId });
    const chunks: Buffer[] = [];
    for await (const c of doc.open()) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'zpráva');
  });

  it('after RPLC the original is found only as Deprecated', async () => {
    const first = submission(patient);
    const ids = (await registry.submit(first, SYSTEM_PRINCIPAL)).ids;
    const original = ids[first.documents[0]!.entryUuid]!;
    const d = documentEntry(patient);
    assert.equal((await registry.submit(submission(patient, { documents: [d], associations: [association(AssociationType.Replace, d.entryUuid, original)] }), SYSTEM_PRINCIPAL)).status, 'Success');
    const approved = await find(APPROVED);
    assert.deepEqual(approved.objects.map((o) => (o.kind === 'DocumentEntry' ? o.uniqueId : '')), [d.uniqueId]);
    const deprecated = await find(DEPRECATED);
    assert.deepEqual(deprecated.refs, [original]);
  });

  it('a patient-context principal finds nothing of another patient', async () => {
    await registry.submit(submission(patient), SYSTEM_PRINCIPAL);
    const other = { subject: 'patient-2', patientId: patientCx() };
    assert.equal((await find(APPROVED, other)).objects.length, 0);
    assert.equal((await find(APPROVED, { subject: 'patient-1', patientId: patient })).objects.length, 1);
  });
});
