// The typed registry query (what MHD builds): the domain's rules apply to it as to an ITI-18
// parameter request, and the engine answers both forms of one question alike.
import assert from 'node:assert/strict';
import { AvailabilityStatus, DocumentEntryType } from '../../src/domain/metadata';
import { RegistryError } from '../../src/domain/registry-error';
import { checkStoredQuery } from '../../src/domain/registry-query';
import { StoredQueryId, type DocumentFilter, type StoredQuery } from '../../src/domain/stored-queries';
import { validateStoredQuery } from '../../src/xds/stored-query-request';
import { describeEachStore } from '../support/databases';
import { runStoredQueryOn } from '../support/registry-fixture';
import { APPROVED, AUTHORITY, C, PATIENT_A, key, loadRegistry, namer, request } from './fixtures';

function findDocuments(documents: Partial<DocumentFilter>): StoredQuery {
  return { name: 'FindDocuments', queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', metadataLevel: 1, documents } as unknown as StoredQuery;
}

/** The typed FindDocuments and the ITI-18 request asking the same. */
const typed = findDocuments({
  patientIds: [PATIENT_A],
  statuses: [APPROVED],
  objectTypes: [DocumentEntryType.Stable],
  eventCodes: [[{ code: C.cardio.code, scheme: C.cardio.scheme }], [{ code: C.ecg.code }]],
  creationTime: { from: '20240101', to: '20240302' },
  authorPersons: ['%^Novák%'],
});
const slots = request('FindDocuments', {
  $XDSDocumentEntryPatientId: PATIENT_A,
  $XDSDocumentEntryStatus: [APPROVED],
  $XDSDocumentEntryEventCodeList: [[key(C.cardio)], [C.ecg.code]],
  $XDSDocumentEntryCreationTimeFrom: '20240101',
  $XDSDocumentEntryCreationTimeTo: '20240302',
  $XDSDocumentEntryAuthorPerson: ['%^Novák%'],
});

function refusedWith(query: StoredQuery, code: string, location?: string): void {
  assert.throws(() => checkStoredQuery(query), (err: unknown) => {
    assert.ok(err instanceof RegistryError);
    assert.equal(err.errors[0]!.code, code);
    if (location) assert.equal(err.errors[0]!.location, location);
    return true;
  });
}

describe('queries/typed query rules (no database)', () => {
  it('a typed query checks to the query the ITI-18 request validates to', () => {
    assert.deepEqual(checkStoredQuery(typed), validateStoredQuery(slots));
  });

  it('requires the patient and status FindDocuments requires', () => {
    refusedWith(findDocuments({ statuses: [APPROVED], objectTypes: [] }), 'XDSStoredQueryMissingParam', '$XDSDocumentEntryPatientId');
    refusedWith(findDocuments({ patientIds: [PATIENT_A], statuses: [], objectTypes: [] }), 'XDSStoredQueryMissingParam', '$XDSDocumentEntryStatus');
  });

  it('takes one patient where the query names one, in CX form', () => {
    refusedWith(findDocuments({ patientIds: [PATIENT_A, PATIENT_A], statuses: [APPROVED] }), 'XDSStoredQueryParamNumber', '$XDSDocumentEntryPatientId');
    refusedWith(findDocuments({ patientIds: ['not a CX'], statuses: [APPROVED] }), 'XDSRegistryError');
    const checked = checkStoredQuery(findDocuments({ patientIds: [`8203150018^^^&${AUTHORITY}&ISO^PI`], statuses: [APPROVED] }));
    assert.deepEqual((checked as { documents: { patientIds: string[] } }).documents.patientIds, [PATIENT_A]);
  });

  it('searches stable DocumentEntries only when no type is named', () => {
    const checked = checkStoredQuery(findDocuments({ patientIds: [PATIENT_A], statuses: [AvailabilityStatus.Approved] }));
    assert.deepEqual((checked as { documents: { objectTypes: string[] } }).documents.objectTypes, [DocumentEntryType.Stable]);
  });

  it('keeps the multi-patient query’s need for a criterion besides patient and status', () => {
    const multi = { ...findDocuments({ statuses: [APPROVED] }), name: 'FindDocumentsForMultiplePatients', queryId: StoredQueryId.FindDocumentsForMultiplePatients } as StoredQuery;
    refusedWith(multi, 'XDSStoredQueryMissingParam');
  });
});

describeEachStore('queries/typed query through the engine', (ctx) => {
  it('answers the typed query and the ITI-18 request alike', async () => {
    const names = namer(await loadRegistry(ctx.db));
    const fromTyped = names((await runStoredQueryOn(ctx.db, typed, { maxResults: 100 })).refs);
    assert.deepEqual(fromTyped, names((await runStoredQueryOn(ctx.db, slots, { maxResults: 100 })).refs));
    assert.ok(fromTyped.length > 0);
  });
});
