import assert from 'node:assert/strict';
import { RegistryError } from '../../src/domain/registry-error';
import { runStoredQueryOn as runStoredQuery } from '../support/registry-fixture';
import { describeEachStore } from '../support/databases';
import { APPROVED, C, DEPRECATED, PATIENT_A, PATIENT_B, key, loadRegistry, namer, request, type Registry } from './fixtures';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RegistryError, String(err));
    assert.equal(err.errors[0]!.code, code, err.message);
    return true;
  });
}

describeEachStore('queries/runStoredQuery (limits, paging, patient scope)', (ctx) => {
  let r: Registry;
  let names: (ids: readonly string[]) => string[];
  before(async () => {
    r = await loadRegistry(ctx.db);
    names = namer(r);
  });

  const findA = (returnType: 'LeafClass' | 'ObjectRef' = 'LeafClass') =>
    request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED, DEPRECATED] }, returnType);
  const getAllA = () =>
    request('GetAll', { $patientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSSubmissionSetStatus: [APPROVED], $XDSFolderStatus: [APPROVED] });

  describe('errors', () => {
    it('XDSUnknownStoredQuery, XDSStoredQueryMissingParam and XDSStoredQueryParamNumber reach the caller', async () => {
      await rejectsWith(runStoredQuery(ctx.db, { queryId: 'urn:uuid:not-a-query', params: {}, returnType: 'LeafClass' }, { maxResults: 10 }), 'XDSUnknownStoredQuery');
      await rejectsWith(runStoredQuery(ctx.db, request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_A }), { maxResults: 10 }), 'XDSStoredQueryMissingParam');
      await rejectsWith(
        runStoredQuery(ctx.db, request('FindDocuments', { $XDSDocumentEntryPatientId: [PATIENT_A, PATIENT_B], $XDSDocumentEntryStatus: [APPROVED] }), { maxResults: 10 }),
        'XDSStoredQueryParamNumber',
      );
    });

    it('XDSTooManyResults when a single-table query matches more than maxResults', async () => {
      await rejectsWith(runStoredQuery(ctx.db, findA(), { maxResults: 6 }), 'XDSTooManyResults');
      await rejectsWith(runStoredQuery(ctx.db, findA('ObjectRef'), { maxResults: 6 }), 'XDSTooManyResults');
      const exact = await runStoredQuery(ctx.db, findA(), { maxResults: 7 });
      assert.equal(exact.total, 7);
    });

    it('XDSTooManyResults when a multi-step query returns more than maxResults', async () => {
      await rejectsWith(runStoredQuery(ctx.db, getAllA(), { maxResults: 20 }), 'XDSTooManyResults');
      const all = await runStoredQuery(ctx.db, getAllA(), { maxResults: 29 });
      assert.equal(all.total, 29);
    });
  });

  describe('paging', () => {
    it('pages a single-table query in order and reports the total', async () => {
      const pages: string[] = [];
      for (let offset = 0; offset < 7; offset += 3) {
        const page = await runStoredQuery(ctx.db, findA(), { maxResults: 100, page: { offset, count: 3 } });
        assert.equal(page.total, 7);
        assert.ok(page.refs.length <= 3);
        pages.push(...names(page.refs));
      }
      assert.deepEqual(pages, ['d1', 'd2', 'd3', 'd4', 'd6', 'd7', 'd8']);
    });

    it('a page past the end is empty but keeps the total', async () => {
      const page = await runStoredQuery(ctx.db, findA('ObjectRef'), { maxResults: 100, page: { offset: 50, count: 10 } });
      assert.deepEqual(page.refs, []);
      assert.equal(page.total, 7);
    });

    it('paging does not fail on a total above maxResults; the page size is capped at maxResults', async () => {
      const page = await runStoredQuery(ctx.db, findA(), { maxResults: 2, page: { offset: 2, count: 10 } });
      assert.deepEqual(names(page.refs), ['d3', 'd4']);
      assert.equal(page.total, 7);
    });

    it('pages a multi-step query over its ordered result', async () => {
      const whole = await runStoredQuery(ctx.db, getAllA(), { maxResults: 100 });
      const page = await runStoredQuery(ctx.db, getAllA(), { maxResults: 100, page: { offset: 5, count: 4 } });
      assert.equal(page.total, whole.total);
      assert.deepEqual(page.refs, whole.refs.slice(5, 9));
      assert.deepEqual(names(page.refs), ['d8', 'f1', 'f2', 'ss0']);
      assert.deepEqual(
        page.objects.map((o) => o.kind),
        ['DocumentEntry', 'Folder', 'Folder', 'SubmissionSet'],
      );
    });
  });

  describe('patient scope', () => {
    const scopeA = { maxResults: 100, patientScope: PATIENT_A };

    it('a Find query for the scope patient runs normally', async () => {
      const res = await runStoredQuery(ctx.db, findA(), scopeA);
      assert.equal(res.total, 7);
    });

    it('a query naming another patient returns nothing', async () => {
      const other = request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_B, $XDSDocumentEntryStatus: [APPROVED] });
      assert.deepEqual(await runStoredQuery(ctx.db, other, scopeA), { objects: [], refs: [], objectRefs: [], total: 0 });
      const getAll = request('GetAll', { $patientId: PATIENT_B, $XDSDocumentEntryStatus: [APPROVED], $XDSSubmissionSetStatus: [APPROVED], $XDSFolderStatus: [APPROVED] });
      assert.equal((await runStoredQuery(ctx.db, getAll, scopeA)).total, 0);
      const sets = request('FindSubmissionSets', { $XDSSubmissionSetPatientId: PATIENT_B, $XDSSubmissionSetStatus: [APPROVED] });
      assert.equal((await runStoredQuery(ctx.db, sets, scopeA)).total, 0);
    });

    it('multi-patient queries are narrowed to the scope patient', async () => {
      const cardio = { $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryEventCodeList: [key(C.cardio)] };
      assert.deepEqual(names((await runStoredQuery(ctx.db, request('FindDocumentsForMultiplePatients', cardio), scopeA)).refs), ['d1', 'd3']);
      const onlyB = request('FindDocumentsForMultiplePatients', { ...cardio, $XDSDocumentEntryPatientId: [PATIENT_B] });
      assert.equal((await runStoredQuery(ctx.db, onlyB, scopeA)).total, 0);
      const folders = request('FindFoldersForMultiplePatients', { $XDSFolderStatus: [APPROVED], $XDSFolderCodeList: [key(C.folderCardio)] });
      assert.deepEqual(names((await runStoredQuery(ctx.db, folders, { maxResults: 100, patientScope: PATIENT_B })).refs), ['fB']);
    });

    it('lookups by id return only the scope patient’s objects', async () => {
      const docs = request('GetDocuments', { $XDSDocumentEntryEntryUUID: [r.docs.d1.entryUuid, r.docs.e1.entryUuid] });
      assert.deepEqual(names((await runStoredQuery(ctx.db, docs, scopeA)).refs), ['d1']);
      const contents = request('GetSubmissionSetAndContents', { $XDSSubmissionSetEntryUUID: r.sets.ssB.entryUuid });
      assert.equal((await runStoredQuery(ctx.db, contents, scopeA)).total, 0);
      const folderB = request('GetFoldersForDocument', { $XDSDocumentEntryEntryUUID: r.docs.e1.entryUuid });
      assert.equal((await runStoredQuery(ctx.db, folderB, scopeA)).total, 0);
      assert.deepEqual(names((await runStoredQuery(ctx.db, folderB, { maxResults: 10, patientScope: PATIENT_B })).refs), ['fB']);
    });

    it('associations are visible only through the scope patient’s objects', async () => {
      const assocs = request('GetAssociations', { $uuid: [r.docs.e1.entryUuid, r.docs.d7.entryUuid] });
      assert.deepEqual(names((await runStoredQuery(ctx.db, assocs, { maxResults: 100 })).refs), ['fBe1', 'xfrm', 'ss3d7', 'ssBe1']);
      assert.deepEqual(names((await runStoredQuery(ctx.db, assocs, scopeA)).refs), ['xfrm', 'ss3d7']);
    });
  });
});
