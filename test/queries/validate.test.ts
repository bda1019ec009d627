import assert from 'node:assert/strict';
import { DocumentEntryType } from '../../src/domain/metadata';
import { RegistryError } from '../../src/domain/registry-error';
import { QUERY_SPECS, StoredQueryId, type StoredQueryOf } from '../../src/domain/stored-queries';
import { validateStoredQuery } from '../../src/xds/stored-query-request';
import { APPROVED, C, DEPRECATED, PATIENT_A, key, request } from './fixtures';

function rejects(fn: () => unknown, code: string, context?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RegistryError, `expected RegistryError, got ${String(err)}`);
    assert.equal(err.errors[0]!.code, code, err.message);
    if (context) assert.match(err.errors[0]!.context, context);
    return true;
  });
}

const findDocs = (extra: Record<string, string | string[] | string[][]> = {}) =>
  request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], ...extra });

describe('queries/validateStoredQuery', () => {
  it('knows the 14 ITI-18 and the 2 ITI-51 queries by their ids', () => {
    assert.equal(QUERY_SPECS.length, 16);
    assert.equal(new Set(QUERY_SPECS.map((s) => s.id)).size, 16);
    assert.equal(StoredQueryId.FindDocuments, 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d');
    assert.equal(StoredQueryId.GetRelatedDocuments, 'urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6');
    assert.equal(StoredQueryId.FindDocumentsForMultiplePatients, 'urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f');
  });

  it('rejects an unknown query id with XDSUnknownStoredQuery', () => {
    rejects(() => validateStoredQuery({ queryId: 'urn:uuid:00000000-0000-0000-0000-000000000000', params: {}, returnType: 'LeafClass' }), 'XDSUnknownStoredQuery');
  });

  it('accepts a query id in upper case', () => {
    const q = validateStoredQuery({ ...findDocs(), queryId: StoredQueryId.FindDocuments.toUpperCase().replace('URN:UUID:', 'urn:uuid:') });
    assert.equal(q.name, 'FindDocuments');
  });

  it('normalises FindDocuments into a typed filter', () => {
    const q = validateStoredQuery(
      findDocs({
        $XDSDocumentEntryClassCode: [key(C.report), 'SUMMARY'],
        $XDSDocumentEntryEventCodeList: [[key(C.cardio)], [key(C.ecg), key(C.xray)]],
        $XDSDocumentEntryCreationTimeFrom: '20240101',
        $XDSDocumentEntryAuthorPerson: ['%Novák%'],
      }),
    ) as StoredQueryOf<'FindDocuments'>;
    assert.deepEqual(q.documents, {
      patientIds: [PATIENT_A],
      statuses: [APPROVED],
      objectTypes: [DocumentEntryType.Stable],
      classCodes: [{ code: 'REPORT', scheme: C.report.scheme }, { code: 'SUMMARY' }],
      eventCodes: [[{ code: 'CARDIO', scheme: C.cardio.scheme }], [{ code: 'ECG', scheme: C.ecg.scheme }, { code: 'XRAY', scheme: C.xray.scheme }]],
      creationTime: { from: '20240101' },
      authorPersons: ['%Novák%'],
    });
    assert.equal(q.metadataLevel, 1);
  });

  it('missing required parameters -> XDSStoredQueryMissingParam', () => {
    rejects(() => validateStoredQuery(request('FindDocuments', { $XDSDocumentEntryStatus: [APPROVED] })), 'XDSStoredQueryMissingParam', /PatientId/);
    rejects(() => validateStoredQuery(request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_A })), 'XDSStoredQueryMissingParam', /Status/);
    rejects(() => validateStoredQuery(request('FindDocumentsByReferenceId', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED] })), 'XDSStoredQueryMissingParam', /ReferenceIdList/);
    rejects(() => validateStoredQuery(request('GetAll', { $patientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSFolderStatus: [APPROVED] })), 'XDSStoredQueryMissingParam', /SubmissionSetStatus/);
    rejects(() => validateStoredQuery(request('GetRelatedDocuments', { $XDSDocumentEntryUniqueId: '1.2.3' })), 'XDSStoredQueryMissingParam', /AssociationTypes/);
    rejects(() => validateStoredQuery(request('GetAssociations', {})), 'XDSStoredQueryMissingParam', /\$uuid/);
  });

  it('an identifier choice needs exactly one of its parameters', () => {
    rejects(() => validateStoredQuery(request('GetDocuments', {})), 'XDSStoredQueryMissingParam', /EntryUUID/);
    rejects(() => validateStoredQuery(request('GetFolderAndContents', {})), 'XDSStoredQueryMissingParam');
    rejects(
      () => validateStoredQuery(request('GetDocuments', { $XDSDocumentEntryEntryUUID: ['urn:uuid:1'], $XDSDocumentEntryUniqueId: ['1.2'] })),
      'XDSStoredQueryParamNumber',
    );
    const q = validateStoredQuery(request('GetDocuments', { $XDSDocumentEntryUniqueId: ['1.2', '1.3'] })) as StoredQueryOf<'GetDocuments'>;
    assert.deepEqual(q.documentIds, { by: 'uniqueId', values: ['1.2', '1.3'] });
  });

  it('ITI-51 FindDocumentsForMultiplePatients needs a class, event or facility code; the patient is optional and multi-valued', () => {
    rejects(() => validateStoredQuery(request('FindDocumentsForMultiplePatients', { $XDSDocumentEntryStatus: [APPROVED] })), 'XDSStoredQueryMissingParam', /ClassCode/);
    const q = validateStoredQuery(
      request('FindDocumentsForMultiplePatients', { $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryPatientId: [PATIENT_A, PATIENT_A.replace('8203', '7203')], $XDSDocumentEntryHealthcareFacilityTypeCode: [key(C.hospital)] }),
    ) as StoredQueryOf<'FindDocumentsForMultiplePatients'>;
    assert.equal(q.documents.patientIds?.length, 2);
  });

  it('several values on a single-valued parameter -> XDSStoredQueryParamNumber', () => {
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryPatientId: [PATIENT_A, PATIENT_A] })), 'XDSStoredQueryParamNumber', /PatientId/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryCreationTimeFrom: ['2024', '2025'] })), 'XDSStoredQueryParamNumber');
    rejects(() => validateStoredQuery(request('GetFoldersForDocument', { $XDSDocumentEntryUniqueId: ['1.2', '1.3'] })), 'XDSStoredQueryParamNumber');
    rejects(
      () => validateStoredQuery(request('FindSubmissionSets', { $XDSSubmissionSetPatientId: PATIENT_A, $XDSSubmissionSetStatus: [APPROVED], $XDSSubmissionSetAuthorPerson: ['%a%', '%b%'] })),
      'XDSStoredQueryParamNumber',
    );
  });

  it('AND groups only where the table allows them', () => {
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryClassCode: [[key(C.report)], [key(C.summary)]] })), 'XDSStoredQueryParamNumber', /AND/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryStatus: [[APPROVED], [DEPRECATED]] })), 'XDSStoredQueryParamNumber');
    for (const name of ['$XDSDocumentEntryEventCodeList', '$XDSDocumentEntryConfidentialityCode']) {
      assert.doesNotThrow(() => validateStoredQuery(findDocs({ [name]: [[key(C.normal)], [key(C.restricted)]] })));
    }
    assert.doesNotThrow(() =>
      validateStoredQuery(request('FindFolders', { $XDSFolderPatientId: PATIENT_A, $XDSFolderStatus: [APPROVED], $XDSFolderCodeList: [['a^^^b'], ['c^^^d']] })),
    );
    assert.doesNotThrow(() =>
      validateStoredQuery(request('FindDocumentsByReferenceId', { $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryReferenceIdList: [['a'], ['b']] })),
    );
  });

  it('malformed values -> XDSRegistryError naming the parameter', () => {
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryPatientId: '8203150018' })), 'XDSRegistryError', /PatientId/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryCreationTimeFrom: '2024-01-01' })), 'XDSRegistryError', /CreationTimeFrom.*DTM/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryServiceStopTimeTo: '2024011' })), 'XDSRegistryError', /DTM/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryClassCode: ['^^^1.2.3'] })), 'XDSRegistryError', /ClassCode/);
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryType: ['stable'] })), 'XDSRegistryError', /Type/);
    rejects(() => validateStoredQuery(request('GetRelatedDocuments', { $XDSDocumentEntryUniqueId: '1.2', $AssociationTypes: ['urn:example:AssociationType:Cites'] })), 'XDSRegistryError', /AssociationTypes/);
    rejects(() => validateStoredQuery(request('GetDocuments', { $XDSDocumentEntryUniqueId: '1.2', $MetadataLevel: '3' })), 'XDSRegistryError', /MetadataLevel/);
    rejects(() => validateStoredQuery({ ...findDocs(), returnType: 'Everything' as 'LeafClass' }), 'XDSRegistryError', /returnType/);
  });

  it('ignores parameters the query does not define, and status values it does not understand', () => {
    const q = validateStoredQuery(findDocs({ $XDSFolderStatus: ['x'], $SomethingElse: 'y', $XDSDocumentEntryStatus: [APPROVED, 'urn:example:Unknown'] })) as StoredQueryOf<'FindDocuments'>;
    assert.deepEqual(q.documents.statuses, [APPROVED]);
    // Only values it does not understand leave the required status missing.
    rejects(() => validateStoredQuery(findDocs({ $XDSDocumentEntryStatus: ['Approved'] })), 'XDSStoredQueryMissingParam');
  });

  it('refuses the obsolete ...CodeScheme parameters: XDSStoredQueryParamNumber naming them', () => {
    for (const [name, q] of [
      ['$XDSDocumentEntryClassCodeScheme', findDocs({ $XDSDocumentEntryClassCode: ['REPORT'], $XDSDocumentEntryClassCodeScheme: ['1.2.3'] })],
      ['$XDSDocumentEntryEventCodeListScheme', findDocs({ $XDSDocumentEntryEventCodeListScheme: ['1.2.3'] })],
      ['$XDSFolderCodeListScheme', request('FindFolders', { $XDSFolderPatientId: PATIENT_A, $XDSFolderStatus: [APPROVED], $xdsfoldercodelistscheme: ['1.2.3'] })],
    ] as const) {
      rejects(() => validateStoredQuery(q), 'XDSStoredQueryParamNumber', new RegExp(name.replace('$', '\\$')));
    }
  });

  it('matches parameter names case-insensitively and normalises the patient CX', () => {
    const q = validateStoredQuery(
      request('FindDocuments', { $XDSDocumentEntryPatientID: `${PATIENT_A}^NH`, $xdsdocumententrystatus: [APPROVED] }),
    ) as StoredQueryOf<'FindDocuments'>;
    assert.deepEqual(q.documents.patientIds, [PATIENT_A]);
  });

  it('defaults $XDSDocumentEntryType to stable where the query defines it', () => {
    const contents = validateStoredQuery(request('GetSubmissionSetAndContents', { $XDSSubmissionSetUniqueId: '1.2' })) as StoredQueryOf<'GetSubmissionSetAndContents'>;
    assert.deepEqual(contents.documents.objectTypes, [DocumentEntryType.Stable]);
    const both = validateStoredQuery(findDocs({ $XDSDocumentEntryType: [DocumentEntryType.Stable, DocumentEntryType.OnDemand] })) as StoredQueryOf<'FindDocuments'>;
    assert.deepEqual(both.documents.objectTypes, [DocumentEntryType.Stable, DocumentEntryType.OnDemand]);
  });
});
