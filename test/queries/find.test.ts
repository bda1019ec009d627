import assert from 'node:assert/strict';
import { DocumentEntryType } from '../../src/domain/metadata';
import { runStoredQueryOn as runStoredQuery } from '../support/registry-fixture';
import { describeEachStore } from '../support/databases';
import { APPROVED, C, DEPRECATED, PATIENT_A, PATIENT_B, PATIENT_NONE, key, loadRegistry, namer, request, type Registry } from './fixtures';

type Params = Record<string, string | string[] | string[][]>;

describeEachStore('queries/find (FindDocuments, FindDocumentsByReferenceId, FindSubmissionSets, FindFolders, ITI-51)', (ctx) => {
  let r: Registry;
  let names: (ids: readonly string[]) => string[];
  before(async () => {
    r = await loadRegistry(ctx.db);
    names = namer(r);
  });

  const run = async (name: Parameters<typeof request>[0], params: Params) =>
    names((await runStoredQuery(ctx.db, request(name, params), { maxResults: 100 })).refs);
  const findDocs = (extra: Params = {}) =>
    run('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], ...extra });

  describe('FindDocuments', () => {
    it('returns the patient’s approved stable documents in registration order', async () => {
      assert.deepEqual(await findDocs(), ['d1', 'd3', 'd4', 'd6', 'd7', 'd8']);
    });

    it('ORs status values', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryStatus: [DEPRECATED] }), ['d2']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryStatus: [APPROVED, DEPRECATED] }), ['d1', 'd2', 'd3', 'd4', 'd6', 'd7', 'd8']);
    });

    it('returns nothing for a patient without documents', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryPatientId: PATIENT_NONE }), []);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryPatientId: PATIENT_B }), ['e1']);
    });

    it('$XDSDocumentEntryType selects stable, on-demand or both (default stable)', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryType: [DocumentEntryType.OnDemand] }), ['d5']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: [key(C.summary)], $XDSDocumentEntryType: [DocumentEntryType.Stable, DocumentEntryType.OnDemand] }), ['d4', 'd5']);
    });

    it('ORs the values of a coded parameter; a value without scheme matches any scheme', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: [key(C.summary)] }), ['d4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: [key(C.report)] }), ['d1', 'd3', 'd6', 'd7']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: ['REPORT'] }), ['d1', 'd3', 'd6', 'd7', 'd8']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: [key(C.summary), key(C.reportOther)] }), ['d4', 'd8']);
      // Codes are literal: LIKE metacharacters in a scheme-less code do not act as wildcards.
      assert.deepEqual(await findDocs({ $XDSDocumentEntryClassCode: ['REP%'] }), []);
    });

    it('filters on each single-valued code attribute', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryTypeCode: [key(C.labType)] }), ['d4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryPracticeSettingCode: [key(C.surgery)] }), ['d4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryHealthcareFacilityTypeCode: [key(C.clinic)] }), ['d4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryFormatCode: [key(C.cda)] }), ['d4', 'd7']);
      // Several parameters AND together.
      assert.deepEqual(await findDocs({ $XDSDocumentEntryFormatCode: [key(C.cda)], $XDSDocumentEntryClassCode: [key(C.report)] }), ['d7']);
    });

    it('event codes: values within a group OR, groups AND', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryEventCodeList: [key(C.ecg), key(C.xray)] }), ['d1', 'd4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryEventCodeList: [[key(C.cardio)], [key(C.ecg)]] }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryEventCodeList: [[key(C.cardio)], [key(C.ecg), key(C.xray)]] }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryEventCodeList: [[key(C.cardio)], [key(C.xray)]] }), []);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryEventCodeList: [['CARDIO'], ['ECG']] }), ['d1']);
    });

    it('confidentiality codes: values within a group OR, groups AND', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryConfidentialityCode: [key(C.restricted), key(C.veryRestricted)] }), ['d3', 'd4', 'd6']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryConfidentialityCode: [[key(C.normal)], [key(C.restricted)]] }), ['d3']);
    });

    it('creation time: From inclusive, To exclusive, absent times never match', async () => {
      const t = (from?: string, to?: string) =>
        findDocs({ ...(from ? { $XDSDocumentEntryCreationTimeFrom: from } : {}), ...(to ? { $XDSDocumentEntryCreationTimeTo: to } : {}) });
      assert.deepEqual(await t('20240301101500'), ['d3', 'd6', 'd7', 'd8']); // d3 exactly at From
      assert.deepEqual(await t('20240301101501'), ['d6', 'd7', 'd8']);
      assert.deepEqual(await t(undefined, '20240315'), ['d1', 'd3']); // d6/d7 exactly at To are excluded
      assert.deepEqual(await t(undefined, '20240316'), ['d1', 'd3', 'd6', 'd7']);
      assert.deepEqual(await t('20240110', '20240110'), []);
      assert.deepEqual(await t('20240110', '20240111'), ['d1']);
      assert.ok(!(await t('1900')).includes('d4'), 'd4 has no creationTime');
    });

    it('service start and stop times: each bound on its own attribute', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStartTimeFrom: '20240105080000' }), ['d1', 'd3']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStartTimeFrom: '20240105080001' }), ['d3']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStartTimeTo: '20240220' }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStopTimeFrom: '20240225' }), ['d3']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStopTimeTo: '20240225' }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryServiceStopTimeFrom: '2024', $XDSDocumentEntryServiceStopTimeTo: '20240109100001' }), ['d1']);
    });

    it('author person: % and _ wildcards, values OR-ed, matches any author of the document', async () => {
      assert.deepEqual(await findDocs({ $XDSDocumentEntryAuthorPerson: ['^Novák^Jan^^^MUDr.'] }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryAuthorPerson: ['%Dvořák%'] }), ['d1']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryAuthorPerson: ['%Svobodov_^Eva%'] }), ['d3', 'd4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryAuthorPerson: ['%Novák%', '%Svobodová%'] }), ['d1', 'd3', 'd4']);
      assert.deepEqual(await findDocs({ $XDSDocumentEntryAuthorPerson: ['Novák'] }), [], 'no implicit wildcards');
    });
  });

  describe('FindDocumentsByReferenceId', () => {
    const byRef = (refs: string[] | string[][], extra: Params = {}) =>
      run('FindDocumentsByReferenceId', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryReferenceIdList: refs, ...extra });
    const acc = 'ACC-1^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:accession';
    const ord = 'ORD-7^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:order';

    it('finds the patient’s documents carrying one of the reference ids', async () => {
      assert.deepEqual(await byRef([acc]), ['d1', 'd3']);
      assert.deepEqual(await byRef([acc, ord]), ['d1', 'd3', 'd6']);
      assert.deepEqual(await byRef([[acc], [ord]]), ['d1'], 'AND groups');
      assert.deepEqual(await byRef(['NOPE^^^&1.2&ISO']), []);
    });

    it('combines with the FindDocuments filters', async () => {
      assert.deepEqual(await byRef([acc], { $XDSDocumentEntryConfidentialityCode: [key(C.restricted)] }), ['d3']);
      assert.deepEqual(await byRef([acc], { $XDSDocumentEntryPatientId: PATIENT_B }), ['e1']);
    });
  });

  describe('FindDocumentsForMultiplePatients (ITI-51)', () => {
    it('finds across patients, optionally restricted to a patient list', async () => {
      const base = { $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryEventCodeList: [key(C.cardio)] };
      assert.deepEqual(await run('FindDocumentsForMultiplePatients', base), ['d1', 'd3', 'e1']);
      assert.deepEqual(await run('FindDocumentsForMultiplePatients', { ...base, $XDSDocumentEntryPatientId: [PATIENT_B, PATIENT_NONE] }), ['e1']);
      assert.deepEqual(
        await run('FindDocumentsForMultiplePatients', { $XDSDocumentEntryStatus: [APPROVED, DEPRECATED], $XDSDocumentEntryClassCode: [key(C.report)], $XDSDocumentEntryCreationTimeTo: '20240202' }),
        ['d1', 'd2', 'e1'],
      );
    });
  });

  describe('FindSubmissionSets', () => {
    const findSets = (extra: Params = {}) => run('FindSubmissionSets', { $XDSSubmissionSetPatientId: PATIENT_A, $XDSSubmissionSetStatus: [APPROVED], ...extra });

    it('by patient and status', async () => {
      assert.deepEqual(await findSets(), ['ss0', 'ss1', 'ss2', 'ss3']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetPatientId: PATIENT_B }), ['ssB']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetStatus: [DEPRECATED] }), []);
    });

    it('by source id (OR), content type (OR) and author pattern', async () => {
      assert.deepEqual(await findSets({ $XDSSubmissionSetSourceId: ['1.2.203.999.6.2'] }), ['ss2', 'ss3']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetSourceId: ['1.2.203.999.6.2', '1.2.203.999.6.1'] }), ['ss0', 'ss1', 'ss2', 'ss3']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetContentType: [key(C.contentDischarge)] }), ['ss1', 'ss2']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetContentType: ['REFERRAL', key(C.contentDischarge)] }), ['ss0', 'ss1', 'ss2']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetAuthorPerson: '%Svobodová%' }), ['ss2', 'ss3']);
    });

    it('submission time: From inclusive, To exclusive', async () => {
      assert.deepEqual(await findSets({ $XDSSubmissionSetSubmissionTimeFrom: '20240301120000' }), ['ss2', 'ss3']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetSubmissionTimeTo: '20240301120000' }), ['ss0', 'ss1']);
      assert.deepEqual(await findSets({ $XDSSubmissionSetSubmissionTimeFrom: '202402', $XDSSubmissionSetSubmissionTimeTo: '202403' }), ['ss0']);
    });
  });

  describe('FindFolders and FindFoldersForMultiplePatients', () => {
    const findFolders = (extra: Params = {}) => run('FindFolders', { $XDSFolderPatientId: PATIENT_A, $XDSFolderStatus: [APPROVED], ...extra });

    it('by patient and status', async () => {
      assert.deepEqual(await findFolders(), ['f1', 'f2']);
      assert.deepEqual(await findFolders({ $XDSFolderStatus: [APPROVED, DEPRECATED] }), ['f1', 'f2', 'f4']);
    });

    it('code list: OR within a group, AND across groups', async () => {
      assert.deepEqual(await findFolders({ $XDSFolderCodeList: [key(C.folderCardio)] }), ['f1', 'f2']);
      assert.deepEqual(await findFolders({ $XDSFolderCodeList: [[key(C.folderCardio)], [key(C.folderLab)]] }), ['f2']);
    });

    it('last update time: From inclusive, To exclusive', async () => {
      assert.deepEqual(await findFolders({ $XDSFolderLastUpdateTimeFrom: '20240301120000' }), ['f1']);
      assert.deepEqual(await findFolders({ $XDSFolderLastUpdateTimeTo: '20240301120000' }), ['f2']);
    });

    it('across patients by code (ITI-51)', async () => {
      const base = { $XDSFolderStatus: [APPROVED], $XDSFolderCodeList: [key(C.folderCardio)] };
      assert.deepEqual(await run('FindFoldersForMultiplePatients', base), ['f1', 'f2', 'fB']);
      assert.deepEqual(await run('FindFoldersForMultiplePatients', { ...base, $XDSFolderPatientId: [PATIENT_B] }), ['fB']);
    });
  });
});
