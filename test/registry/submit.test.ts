import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AssociationType, AvailabilityStatus } from '../../src/domain/metadata';
import { StoredQueryId } from '../../src/domain/stored-queries';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import type { Submission } from '../../src/domain/submission';
import type { Registry } from '../../src/registry/registry';
import type { SqlExecutor } from '../../src/store/sql/database';
import { describeEachStore } from '../support/databases';
import { association, documentEntry, folder, patientCx, sha1, submission } from '../support/metadata-builders';
import { countRows, testRegistry, withFreshPatient } from '../support/registry-fixture';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

async function status(db: SqlExecutor, entryUuid: string): Promise<string | undefined> {
  const r = await db.query<{ status: string }>(
    `SELECT status FROM document_entries WHERE entry_uuid = $1 UNION ALL SELECT status FROM folders WHERE entry_uuid = $1`,
    [entryUuid],
  );
  return r.rows[0]?.status;
}

describeEachStore('registry submit', (ctx) => {
  let registry: Registry;
  let patient: string;

  withFreshPatient(ctx, (r, p) => {
    registry = r;
    patient = p;
  });

  async function ok(s: Submission): Promise<Record<string, string>> {
    const r = await registry.submit(s, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    return r.ids;
  }

  async function fails(s: Submission, code: string): Promise<void> {
    const docsBefore = await countRows(ctx.db, 'document_entries');
    const setsBefore = await countRows(ctx.db, 'submission_sets');
    const assocBefore = await countRows(ctx.db, 'associations');
    const r = await registry.submit(s, SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Failure');
    assert.ok(r.errors.some((e) => e.code === code), `expected ${code}, got ${JSON.stringify(r.errors)}`);
    assert.equal(await countRows(ctx.db, 'document_entries'), docsBefore, 'no document stored');
    assert.equal(await countRows(ctx.db, 'submission_sets'), setsBefore, 'no submission set stored');
    assert.equal(await countRows(ctx.db, 'associations'), assocBefore, 'no association stored');
  }

  it('registers a one-document submission set with UUIDs for symbolic ids', async () => {
    const s = submission(patient);
    const ids = await ok(s);
    const docId = ids[s.documents[0]!.entryUuid]!;
    assert.match(docId, /^urn:uuid:/);
    assert.equal(await status(ctx.db, docId), 'Approved');
    const r = await ctx.db.query<{ patient_id: string; class_code: string }>('SELECT patient_id, class_code FROM document_entries WHERE entry_uuid = $1', [docId]);
    assert.equal(r.rows[0]!.patient_id, patient);
    assert.equal(r.rows[0]!.class_code, `18842-5^^^2.16.840.1.113883.6.1`);
  });

  for (const attr of ['classCode', 'typeCode', 'formatCode', 'healthcareFacilityTypeCode', 'practiceSettingCode', 'languageCode', 'creationTime', 'hash', 'size', 'repositoryUniqueId', 'mimeType', 'sourcePatientId'] as const) {
    it(`rejects a document without ${attr} (XDSRegistryMetadataError) and stores nothing`, async () => {
      const d = documentEntry(patient);
      delete (d as unknown as Record<string, unknown>)[attr];
      await fails(submission(patient, { documents: [d] }), 'XDSRegistryMetadataError');
    });
  }

  it('rejects a submission set without sourceId or contentTypeCode', async () => {
    await fails(submission(patient, { set: { sourceId: '' } }), 'XDSRegistryMetadataError');
    const s = submission(patient);
    delete s.submissionSet.contentTypeCode;
    await fails(s, 'XDSRegistryMetadataError');
  });

  it('accepts limited metadata without the codes a full entry needs', async () => {
    const d = documentEntry(patient, { limitedMetadata: true });
    delete d.classCode;
    delete d.practiceSettingCode;
    await ok(submission(patient, { documents: [d] }));
  });

  it('rejects a document that is not a member of the submission set', async () => {
    const s = submission(patient);
    s.associations = [];
    await fails(s, 'XDSRegistryMetadataError');
  });

  it('rejects a uniqueId used twice in one message', async () => {
    const a = documentEntry(patient);
    const b = documentEntry(patient, { uniqueId: a.uniqueId, entryUuid: 'Document-b' });
    await fails(submission(patient, { documents: [a, b] }), 'XDSRegistryDuplicateUniqueIdInMessage');
  });

  it('rejects documents of another patient than the submission set (XDSPatientIdDoesNotMatch)', async () => {
    const other = patientCx();
    await registry.registerPatient(other);
    await fails(submission(patient, { documents: [documentEntry(other)] }), 'XDSPatientIdDoesNotMatch');
  });

  it('rejects an unknown patient and accepts it once fed', async () => {
    const stranger = patientCx();
    const s = submission(stranger);
    await fails(s, 'XDSUnknownPatientId');
    assert.deepEqual(await registry.registerPatient(stranger), { created: true });
    assert.deepEqual(await registry.registerPatient(stranger), { created: false });
    await ok(s);
  });

  it('rejects a patient of a foreign assigning authority', async () => {
    const foreign = '123^^^&1.2.3.4.5&ISO';
    await assert.rejects(registry.registerPatient(foreign), /XDSUnknownPatientId/);
    await fails(submission(foreign), 'XDSUnknownPatientId');
  });

  it('with PATIENT_CHECK=any accepts any well-formed id of the affinity domain', async () => {
    const lenient = testRegistry(ctx.db, { PATIENT_CHECK: 'any' });
    const r = await lenient.submit(submission(patientCx()), SYSTEM_PRINCIPAL);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
  });

  /** The entryUUIDs GetDocuments returns for a uniqueId (each registration's newest version). */
  async function entriesOf(uniqueId: string): Promise<string[]> {
    const r = await registry.query(validateStoredQuery({ queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryUniqueId: [[uniqueId]] } }), SYSTEM_PRINCIPAL);
    return r.objects.map((o) => o.entryUuid).sort();
  }

  describe('an identical document registered again in a new submission set', () => {
    it('is a second DocumentEntry with its own entryUUID, found beside the first', async () => {
      const d = documentEntry(patient);
      const first = await ok(submission(patient, { documents: [d] }));
      const before = await countRows(ctx.db, 'document_entries');
      const again = await ok(submission(patient, { documents: [{ ...d }] }));
      assert.equal(await countRows(ctx.db, 'document_entries'), before + 1);
      assert.notEqual(again[d.entryUuid], first[d.entryUuid]);
      assert.deepEqual(await entriesOf(d.uniqueId), [first[d.entryUuid], again[d.entryUuid]].sort());
      const found = await registry.query(validateStoredQuery({ queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryPatientId: [[patient]], $XDSDocumentEntryStatus: [[AvailabilityStatus.Approved]] } }), SYSTEM_PRINCIPAL);
      assert.ok([first[d.entryUuid], again[d.entryUuid]].every((id) => found.objects.some((o) => o.entryUuid === id)));
      const r = await ctx.db.query<{ target_id: string; metadata: { submissionSetStatus?: string } }>(
        'SELECT target_id, metadata FROM associations WHERE target_id = ANY($1::text[]) ORDER BY seq', [[first[d.entryUuid], again[d.entryUuid]]]);
      assert.deepEqual(r.rows.map((x) => [x.target_id, x.metadata.submissionSetStatus]), [[first[d.entryUuid], 'Original'], [again[d.entryUuid], 'Original']]);
    });

    it('a retry of the re-registering submission set answers with its own entry, not the first one', async () => {
      const d = documentEntry(patient);
      const first = await ok(submission(patient, { documents: [d] }));
      const s = submission(patient, { documents: [{ ...d }] });
      const again = await ok(s);
      const before = await countRows(ctx.db, 'document_entries');
      const retried = await ok(structuredClone(s));
      assert.equal(retried[s.submissionSet.entryUuid], again[s.submissionSet.entryUuid]);
      assert.equal(retried[d.entryUuid], again[d.entryUuid]);
      assert.notEqual(retried[d.entryUuid], first[d.entryUuid]);
      assert.equal(await countRows(ctx.db, 'document_entries'), before);
    });

    it('refuses the same hash with another size (XDSNonIdenticalSize)', async () => {
      const d = documentEntry(patient);
      await ok(submission(patient, { documents: [d] }));
      await fails(submission(patient, { documents: [{ ...d, size: d.size! + 1 }] }), 'XDSNonIdenticalSize');
    });

    it('concurrent registrations in different submission sets: identical content gives two entries, another hash is refused', async () => {
      const d = documentEntry(patient);
      const [a, b] = await Promise.all([registry.submit(submission(patient, { documents: [{ ...d }] }), SYSTEM_PRINCIPAL), registry.submit(submission(patient, { documents: [{ ...d }] }), SYSTEM_PRINCIPAL)]);
      assert.deepEqual([a.status, b.status], ['Success', 'Success'], JSON.stringify([a.errors, b.errors]));
      assert.equal((await entriesOf(d.uniqueId)).length, 2);

      const e = documentEntry(patient);
      const results = await Promise.all([registry.submit(submission(patient, { documents: [{ ...e }] }), SYSTEM_PRINCIPAL), registry.submit(submission(patient, { documents: [{ ...e, hash: sha1('other bytes') }] }), SYSTEM_PRINCIPAL)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['Failure', 'Success']);
      assert.deepEqual(results.flatMap((r) => r.errors.map((x) => x.code)), ['XDSNonIdenticalHash']);
      assert.equal((await entriesOf(e.uniqueId)).length, 1);
    });
  });

  it('answers an identical retry of a whole submission with the same ids and stores nothing new', async () => {
    const s = submission(patient);
    const first = await ok(s);
    const counts = [await countRows(ctx.db, 'document_entries'), await countRows(ctx.db, 'submission_sets'), await countRows(ctx.db, 'associations')];
    const again = await ok(structuredClone(s));
    assert.equal(again[s.submissionSet.entryUuid], first[s.submissionSet.entryUuid]);
    assert.equal(again[s.documents[0]!.entryUuid], first[s.documents[0]!.entryUuid]);
    assert.deepEqual([await countRows(ctx.db, 'document_entries'), await countRows(ctx.db, 'submission_sets'), await countRows(ctx.db, 'associations')], counts);
  });

  it('two concurrent identical submissions both succeed with the same ids and store one copy', async () => {
    const s = submission(patient);
    const docsBefore = await countRows(ctx.db, 'document_entries');
    const [a, b] = await Promise.all([registry.submit(structuredClone(s), SYSTEM_PRINCIPAL), registry.submit(structuredClone(s), SYSTEM_PRINCIPAL)]);
    assert.equal(a.status, 'Success', JSON.stringify(a.errors));
    assert.equal(b.status, 'Success', JSON.stringify(b.errors));
    assert.equal(a.ids[s.documents[0]!.entryUuid], b.ids[s.documents[0]!.entryUuid]);
    assert.equal(await countRows(ctx.db, 'document_entries'), docsBefore + 1);
  });

  it('many concurrent independent submissions all commit', async () => {
    const before = await countRows(ctx.db, 'submission_sets');
    const results = await Promise.all(Array.from({ length: 24 }, () => registry.submit(submission(patient), SYSTEM_PRINCIPAL)));
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['Success']));
    assert.equal(await countRows(ctx.db, 'submission_sets'), before + 24);
  });

  it('rejects a registered submission set uniqueId with new content', async () => {
    const s = submission(patient);
    await ok(s);
    await fails(submission(patient, { set: { uniqueId: s.submissionSet.uniqueId } }), 'XDSDuplicateUniqueIdInRegistry');
  });

  it('rejects the same document uniqueId with a different hash (XDSNonIdenticalHash)', async () => {
    const d = documentEntry(patient);
    await ok(submission(patient, { documents: [d] }));
    await fails(submission(patient, { documents: [{ ...d, hash: sha1('other bytes') }] }), 'XDSNonIdenticalHash');
  });

  it('rejects a registered entryUUID in a new submission, naming it rather than a concurrent uniqueId', async () => {
    const d = { ...documentEntry(patient), entryUuid: `urn:uuid:${randomUUID()}` };
    await ok(submission(patient, { documents: [d] }));
    await fails(submission(patient, { documents: [{ ...documentEntry(patient), entryUuid: d.entryUuid }] }), 'XDSDuplicateUniqueIdInRegistry');
    const r = await registry.submit(submission(patient, { documents: [{ ...documentEntry(patient), entryUuid: d.entryUuid }] }), SYSTEM_PRINCIPAL);
    assert.deepEqual(r.errors.map((e) => [e.location, e.context]), [[d.entryUuid, `entryUUID ${d.entryUuid} is already registered (as a DocumentEntry); a new object needs a new entryUUID`]]);
  });

  it('rejects a registered folder uniqueId', async () => {
    const f = folder(patient);
    await ok(submission(patient, { folders: [f] }));
    await fails(submission(patient, { documents: [], folders: [{ ...f }] }), 'XDSDuplicateUniqueIdInRegistry');
  });

  describe('relationships', () => {
    async function registered(): Promise<string> {
      const s = submission(patient);
      const ids = await ok(s);
      return ids[s.documents[0]!.entryUuid]!;
    }

    function relate(type: string, target: string, p = patient): Submission {
      const d = documentEntry(p);
      return submission(p, { documents: [d], associations: [association(type, d.entryUuid, target)] });
    }

    it('RPLC deprecates the original and leaves the replacement approved', async () => {
      const original = await registered();
      const s = relate(AssociationType.Replace, original);
      const ids = await ok(s);
      assert.equal(await status(ctx.db, original), 'Deprecated');
      assert.equal(await status(ctx.db, ids[s.documents[0]!.entryUuid]!), 'Approved');
    });

    it('XFRM_RPLC deprecates, XFRM and APND and signs leave the original approved', async () => {
      const a = await registered();
      await ok(relate(AssociationType.TransformReplace, a));
      assert.equal(await status(ctx.db, a), 'Deprecated');
      for (const type of [AssociationType.Transform, AssociationType.Append, AssociationType.Signs]) {
        const b = await registered();
        await ok(relate(type, b));
        assert.equal(await status(ctx.db, b), 'Approved', type);
      }
    });

    it('replacing a document deprecates its addenda and transformations too', async () => {
      const original = await registered();
      const addendum = relate(AssociationType.Append, original);
      const addendumId = (await ok(addendum))[addendum.documents[0]!.entryUuid]!;
      await ok(relate(AssociationType.Replace, original));
      assert.equal(await status(ctx.db, addendumId), 'Deprecated');
    });

    for (const type of [AssociationType.Replace, AssociationType.Append, AssociationType.Transform, AssociationType.TransformReplace]) {
      it(`${type.split(':').pop()} onto a deprecated document fails (XDSRegistryDeprecatedDocumentError)`, async () => {
        const original = await registered();
        await ok(relate(AssociationType.Replace, original));
        await fails(relate(type, original), 'XDSRegistryDeprecatedDocumentError');
      });
    }

    it('a relationship to another patient\'s document fails', async () => {
      const original = await registered();
      const other = patientCx();
      await registry.registerPatient(other);
      await fails(relate(AssociationType.Replace, original, other), 'XDSPatientIdDoesNotMatch');
      assert.equal(await status(ctx.db, original), 'Approved');
    });

    it('a relationship to an unknown document fails (UnresolvedReferenceException)', async () => {
      await fails(relate(AssociationType.Replace, 'urn:uuid:00000000-0000-4000-8000-000000000001'), 'UnresolvedReferenceException');
    });

    it('two concurrent replacements of one document: exactly one wins', async () => {
      const original = await registered();
      const results = await Promise.all([
        registry.submit(relate(AssociationType.Replace, original), SYSTEM_PRINCIPAL),
        registry.submit(relate(AssociationType.Replace, original), SYSTEM_PRINCIPAL),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['Failure', 'Success']);
      assert.equal(results.find((r) => r.status === 'Failure')!.errors[0]!.code, 'XDSRegistryDeprecatedDocumentError');
    });

    it('a replacement joins the folders of the original and updates their lastUpdateTime', async () => {
      const d = documentEntry(patient);
      const f = folder(patient);
      const s = submission(patient, { documents: [d], folders: [f], associations: [association(AssociationType.HasMember, f.entryUuid, d.entryUuid)] });
      const ids = await ok(s);
      const folderId = ids[f.entryUuid]!;
      await ctx.db.query(`UPDATE folders SET last_update_time = '20000101000000' WHERE entry_uuid = $1`, [folderId]);
      const r = relate(AssociationType.Replace, ids[d.entryUuid]!);
      const newId = (await ok(r))[r.documents[0]!.entryUuid]!;
      const members = await ctx.db.query('SELECT 1 FROM associations WHERE source_id = $1 AND target_id = $2 AND type = $3', [folderId, newId, AssociationType.HasMember]);
      assert.equal(members.rowCount, 1);
      const fr = await ctx.db.query<{ last_update_time: string }>('SELECT last_update_time FROM folders WHERE entry_uuid = $1', [folderId]);
      assert.notEqual(fr.rows[0]!.last_update_time, '20000101000000');
    });
  });

  describe('folders', () => {
    it('adds an existing document to an existing folder of the same patient', async () => {
      const f = folder(patient);
      const fids = await ok(submission(patient, { documents: [], folders: [f] }));
      const s = submission(patient);
      const dids = await ok(s);
      const add = submission(patient, { documents: [], associations: [association(AssociationType.HasMember, fids[f.entryUuid]!, dids[s.documents[0]!.entryUuid]!)] });
      await ok(add);
      const r = await ctx.db.query('SELECT 1 FROM associations WHERE source_id = $1 AND target_id = $2', [fids[f.entryUuid], dids[s.documents[0]!.entryUuid]]);
      assert.equal(r.rowCount, 1);
    });

    it('refuses to put a document into another patient\'s folder', async () => {
      const other = patientCx();
      await registry.registerPatient(other);
      const f = folder(other);
      const fids = await ok(submission(other, { documents: [], folders: [f] }));
      const d = documentEntry(patient);
      await fails(submission(patient, { documents: [d], associations: [association(AssociationType.HasMember, fids[f.entryUuid]!, d.entryUuid)] }), 'XDSPatientIdDoesNotMatch');
    });

    it('rejects a folder without title or codes', async () => {
      await fails(submission(patient, { documents: [], folders: [folder(patient, { title: '' })] }), 'XDSRegistryMetadataError');
      await fails(submission(patient, { documents: [], folders: [folder(patient, { codes: [] })] }), 'XDSRegistryMetadataError');
    });
  });

  describe('affinity-domain code sets', () => {
    it('strict: a coding scheme outside the domain fails', async () => {
      await fails(submission(patient, { documents: [documentEntry(patient, { classCode: { code: 'X', scheme: '1.2.3.999' } })] }), 'XDSRegistryMetadataError');
      await fails(submission(patient, { documents: [documentEntry(patient, { confidentialityCodes: [{ code: 'Q', scheme: '2.16.840.1.113883.5.25' }] })] }), 'XDSRegistryMetadataError');
    });

    it('lenient: the same submission succeeds with a warning', async () => {
      const lenient = testRegistry(ctx.db, { CODE_VALIDATION: 'lenient' });
      const r = await lenient.submit(submission(patient, { documents: [documentEntry(patient, { classCode: { code: 'X', scheme: '1.2.3.999' } })] }), SYSTEM_PRINCIPAL);
      assert.equal(r.status, 'Success');
      assert.equal(r.errors[0]?.severity, 'Warning');
    });
  });

  it('an association naming an unknown object rolls back the whole submission', async () => {
    const d = documentEntry(patient);
    await fails(
      submission(patient, { documents: [d, documentEntry(patient)], associations: [association(AssociationType.HasMember, 'urn:uuid:00000000-0000-4000-8000-0000000000ff', d.entryUuid)] }),
      'UnresolvedReferenceException',
    );
  });
});
