// The ITI-18 request an Initiating Gateway writes for a typed query reads back, through the
// Responding Gateway's own reader and validation, as the same typed query.
import assert from 'node:assert/strict';
import type { StoredQuery } from '../../../src/domain/stored-queries';
import { validateStoredQuery } from '../../../src/xds/stored-query-request';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { buildDocument } from '../../../src/soap';
import { readAdhocQueryRequest } from '../../../src/xds/adhoc-query';
import { adhocQueryRequest } from '../../../src/xds/outbound/adhoc-query-request';

const STABLE = 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1';
const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';

function roundTrip(query: StoredQuery, home?: string): StoredQuery {
  const request = readAdhocQueryRequest(buildDocument(adhocQueryRequest(query, home)).documentElement!);
  assert.equal(request.homeCommunityId, home);
  return validateStoredQuery(request);
}

describe('outbound AdhocQueryRequest (typed query -> ITI-18 slots)', () => {
  it('FindDocuments with codes, AND-ed code groups, times, authors and a quote in a value', () => {
    const query: StoredQuery = {
      name: 'FindDocuments', queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', metadataLevel: 1, homeCommunityId: 'urn:oid:1.2.3',
      documents: {
        patientIds: ['7608139877^^^&1.2.203.24341.1.1&ISO'],
        statuses: [APPROVED],
        objectTypes: [STABLE],
        classCodes: [{ code: '11490-0', scheme: '2.16.840.1.113883.6.1' }, { code: '18842-5', scheme: '2.16.840.1.113883.6.1' }],
        eventCodes: [[{ code: 'A', scheme: '1.2.3' }], [{ code: 'B', scheme: '1.2.3' }, { code: 'C', scheme: '1.2.3' }]],
        creationTime: { from: '20260101', to: '20261231235959' },
        authorPersons: ["%O'Brien%"],
      },
    };
    assert.deepEqual(roundTrip(query, 'urn:oid:1.2.3'), query);
  });

  it('GetDocuments by uniqueId and by entryUUID, with $MetadataLevel 2', () => {
    for (const by of ['uniqueId', 'entryUuid'] as const) {
      const query: StoredQuery = { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'ObjectRef', metadataLevel: 2, documentIds: { by, values: ['1.2.3.4', '1.2.3.5'] } };
      assert.deepEqual(roundTrip(query), query);
    }
  });

  it('GetAll: the patient written once although it lands in three filters', () => {
    const query = validateStoredQuery({ queryId: StoredQueryId.GetAll, returnType: 'LeafClass', params: {
      $patientId: [['7608139877^^^&1.2.203.24341.1.1&ISO']], $XDSDocumentEntryStatus: [[APPROVED]], $XDSSubmissionSetStatus: [[APPROVED]], $XDSFolderStatus: [[APPROVED]],
    } });
    assert.deepEqual(roundTrip(query), query);
  });
});
