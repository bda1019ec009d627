// ITI-18 AdhocQueryRequest -> the registry's typed query: the XDS front end reads the slot
// syntax and CE codes; the domain's parameter table turns them into values.
import assert from 'node:assert/strict';
import { AvailabilityStatus, DocumentEntryType } from '../../src/domain/metadata';
import { StoredQueryId } from '../../src/domain/stored-queries';
import { parseXml } from '../../src/soap/safe-xml';
import { readAdhocQueryRequest } from '../../src/xds/adhoc-query';
import { XDS_NS } from '../../src/xds/namespaces';
import { validateStoredQuery } from '../../src/xds/stored-query-request';
import { quoted, slot } from './support/messages';

const PATIENT = '7608139877^^^&1.2.203.999.1.1&ISO';

function adhocQuery(queryId: string, slots: string[]) {
  const xml = `<query:AdhocQueryRequest xmlns:query="${XDS_NS.query}" xmlns:rim="${XDS_NS.rim}">
    <query:ResponseOption returnType="ObjectRef" returnComposedObjects="true"/>
    <rim:AdhocQuery id="${queryId}">${slots.join('')}</rim:AdhocQuery>
  </query:AdhocQueryRequest>`;
  return readAdhocQueryRequest(parseXml(xml).documentElement!);
}

describe('xds ITI-18 AdhocQuery -> typed query (no database)', () => {
  it('reads patient, statuses, CE codes (AND groups), DTM bounds and author patterns into FindDocuments', () => {
    const request = adhocQuery(StoredQueryId.FindDocuments, [
      slot('$XDSDocumentEntryPatientId', quoted(PATIENT)),
      slot('$XDSDocumentEntryStatus', quoted(AvailabilityStatus.Approved, AvailabilityStatus.Deprecated)),
      slot('$XDSDocumentEntryClassCode', quoted('REPORT^^1.2.203.999.5.1')),
      slot('$XDSDocumentEntryEventCodeList', quoted('CARDIO^^1.2.203.999.5.2')),
      slot('$XDSDocumentEntryEventCodeList', quoted('ECG^^1.2.203.999.5.2', 'XRAY^^^1.2.203.999.5.2')),
      slot('$XDSDocumentEntryCreationTimeFrom', '20240101'),
      slot('$XDSDocumentEntryCreationTimeTo', '2024030112'),
      slot('$XDSDocumentEntryAuthorPerson', quoted("%^Nov'ák%")),
    ]);
    assert.deepEqual(validateStoredQuery(request), {
      name: 'FindDocuments',
      queryId: StoredQueryId.FindDocuments,
      returnType: 'ObjectRef',
      metadataLevel: 1,
      documents: {
        patientIds: [PATIENT],
        statuses: [AvailabilityStatus.Approved, AvailabilityStatus.Deprecated],
        objectTypes: [DocumentEntryType.Stable],
        classCodes: [{ code: 'REPORT', scheme: '1.2.203.999.5.1' }],
        eventCodes: [[{ code: 'CARDIO', scheme: '1.2.203.999.5.2' }], [{ code: 'ECG', scheme: '1.2.203.999.5.2' }, { code: 'XRAY', scheme: '1.2.203.999.5.2' }]],
        creationTime: { from: '20240101', to: '2024030112' },
        authorPersons: ["%^Nov'ák%"],
      },
    });
  });

  it('reads an identifier choice into an id selector', () => {
    const request = adhocQuery(StoredQueryId.GetDocuments, [slot('$XDSDocumentEntryUniqueId', quoted('1.2.3.4', '1.2.3.5')), slot('$MetadataLevel', '2')]);
    assert.deepEqual(validateStoredQuery(request), {
      name: 'GetDocuments',
      queryId: StoredQueryId.GetDocuments,
      returnType: 'ObjectRef',
      metadataLevel: 2,
      documentIds: { by: 'uniqueId', values: ['1.2.3.4', '1.2.3.5'] },
    });
  });
});
