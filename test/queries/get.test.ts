import assert from 'node:assert/strict';
import { AssociationType, DocumentEntryType, type ObjectKind } from '../../src/domain/metadata';
import type { StoredQueryName } from '../../src/domain/stored-queries';
import { runStoredQueryOn as runStoredQuery } from '../support/registry-fixture';
import { describeEachStore } from '../support/databases';
import { APPROVED, C, DEPRECATED, PATIENT_A, PATIENT_C, key, loadRegistry, namer, request, type Registry } from './fixtures';

type Params = Record<string, string | string[] | string[][]>;
interface Case {
  title: string;
  query: StoredQueryName;
  params: (r: Registry) => Params;
  expected: string[];
}

const kindOfName = (name: string): ObjectKind =>
  /^[dev]\d/.test(name) ? 'DocumentEntry' : /^f[0-9B]$/.test(name) ? 'Folder' : /^ss[0-9B]$/.test(name) ? 'SubmissionSet' : 'Association';

const ALL_LINKS_A = [
  'f1d1', 'f1d3', 'apnd', 'xfrm', 'ss1d1', 'ss1f1', 'ss1f1d1', 'ss2d3', 'ss2f1d3', 'ss2f1',
  'ss3d4', 'ss3d6', 'ss3d7', 'ss3d8', 'ss3apnd', 'ss3xfrm', 'ss3f2',
];

/** Every stored query; each case runs with both return types. Expected names are in result order. */
const CASES: Case[] = [
  {
    title: 'FindDocuments',
    query: 'FindDocuments',
    params: () => ({ $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryClassCode: [key(C.report)] }),
    expected: ['d1', 'd3', 'd6', 'd7'],
  },
  {
    title: 'FindDocumentsByReferenceId',
    query: 'FindDocumentsByReferenceId',
    params: () => ({ $XDSDocumentEntryPatientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSDocumentEntryReferenceIdList: ['ORD-7^^^&1.2.203.999.4&ISO^urn:ihe:iti:xds:2013:order'] }),
    expected: ['d1', 'd6'],
  },
  {
    title: 'FindDocumentsForMultiplePatients',
    query: 'FindDocumentsForMultiplePatients',
    params: () => ({ $XDSDocumentEntryStatus: [APPROVED, DEPRECATED], $XDSDocumentEntryClassCode: [key(C.summary)] }),
    expected: ['d4', 'v1', 'v2'],
  },
  {
    title: 'FindSubmissionSets',
    query: 'FindSubmissionSets',
    params: () => ({ $XDSSubmissionSetPatientId: PATIENT_A, $XDSSubmissionSetStatus: [APPROVED], $XDSSubmissionSetSourceId: ['1.2.203.999.6.2'] }),
    expected: ['ss2', 'ss3'],
  },
  {
    title: 'FindFolders',
    query: 'FindFolders',
    params: () => ({ $XDSFolderPatientId: PATIENT_A, $XDSFolderStatus: [APPROVED, DEPRECATED], $XDSFolderCodeList: [key(C.folderLab)] }),
    expected: ['f2', 'f4'],
  },
  {
    title: 'FindFoldersForMultiplePatients',
    query: 'FindFoldersForMultiplePatients',
    params: () => ({ $XDSFolderStatus: [APPROVED], $XDSFolderCodeList: [[key(C.folderCardio)], [key(C.folderLab)]] }),
    expected: ['f2'],
  },
  {
    title: 'GetAll: approved objects of the patient and the associations among them (incl. associations to associations)',
    query: 'GetAll',
    params: () => ({ $patientId: PATIENT_A, $XDSDocumentEntryStatus: [APPROVED], $XDSSubmissionSetStatus: [APPROVED], $XDSFolderStatus: [APPROVED] }),
    expected: ['d1', 'd3', 'd4', 'd6', 'd7', 'd8', 'f1', 'f2', 'ss0', 'ss1', 'ss2', 'ss3', ...ALL_LINKS_A],
  },
  {
    title: 'GetAll: document status, format and confidentiality filters apply to documents only',
    query: 'GetAll',
    params: () => ({
      $patientId: PATIENT_A,
      $XDSDocumentEntryStatus: [DEPRECATED],
      $XDSDocumentEntryConfidentialityCode: [key(C.normal)],
      $XDSSubmissionSetStatus: [APPROVED],
      $XDSFolderStatus: [DEPRECATED],
    }),
    expected: ['d2', 'f4', 'ss0', 'ss1', 'ss2', 'ss3', 'ss0d2', 'ss3f4'],
  },
  {
    title: 'GetDocuments by entryUUID (any status)',
    query: 'GetDocuments',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: [r.docs.d2.entryUuid, r.docs.d1.entryUuid, 'urn:uuid:unknown'] }),
    expected: ['d1', 'd2'],
  },
  {
    title: 'GetDocuments by uniqueId: the latest version only (MetadataLevel 1)',
    query: 'GetDocuments',
    params: (r) => ({ $XDSDocumentEntryUniqueId: [r.docs.v1.uniqueId, r.docs.d4.uniqueId] }),
    expected: ['d4', 'v2'],
  },
  {
    title: 'GetDocuments by logicalID with MetadataLevel 2: every version',
    query: 'GetDocuments',
    params: (r) => ({ $XDSDocumentEntryLogicalID: [r.docs.v1.entryUuid], $MetadataLevel: '2' }),
    expected: ['v1', 'v2'],
  },
  {
    title: 'GetFolders by uniqueId',
    query: 'GetFolders',
    params: (r) => ({ $XDSFolderUniqueId: [r.folders.f4.uniqueId, r.folders.f1.uniqueId] }),
    expected: ['f1', 'f4'],
  },
  {
    title: 'GetAssociations: associations with the object at either end',
    query: 'GetAssociations',
    params: (r) => ({ $uuid: [r.docs.d3.entryUuid] }),
    expected: ['f1d3', 'rplc', 'apnd', 'ss2d3'],
  },
  {
    title: 'GetDocumentsAndAssociations',
    query: 'GetDocumentsAndAssociations',
    params: (r) => ({ $XDSDocumentEntryUniqueId: [r.docs.d3.uniqueId] }),
    expected: ['d3', 'f1d3', 'rplc', 'apnd', 'ss2d3'],
  },
  {
    title: 'GetSubmissionSets: the sets that submitted the objects, with their HasMember links',
    query: 'GetSubmissionSets',
    params: (r) => ({ $uuid: [r.docs.d3.entryUuid, r.folders.f1.entryUuid] }),
    expected: ['ss1', 'ss2', 'ss1f1', 'ss2d3', 'ss2f1'],
  },
  {
    title: 'GetSubmissionSetAndContents: stable documents, folders, folder membership submitted with it',
    query: 'GetSubmissionSetAndContents',
    params: (r) => ({ $XDSSubmissionSetEntryUUID: r.sets.ss1.entryUuid }),
    expected: ['d1', 'f1', 'ss1', 'f1d1', 'ss1d1', 'ss1f1', 'ss1f1d1'],
  },
  {
    title: 'GetSubmissionSetAndContents with both document types',
    query: 'GetSubmissionSetAndContents',
    params: (r) => ({ $XDSSubmissionSetUniqueId: r.sets.ss1.uniqueId, $XDSDocumentEntryType: [DocumentEntryType.Stable, DocumentEntryType.OnDemand] }),
    expected: ['d1', 'd5', 'f1', 'ss1', 'f1d1', 'ss1d1', 'ss1f1', 'ss1f1d1', 'ss1d5'],
  },
  {
    title: 'GetSubmissionSetAndContents: a folder-document link is returned with its document',
    query: 'GetSubmissionSetAndContents',
    params: (r) => ({ $XDSSubmissionSetUniqueId: r.sets.ss2.uniqueId }),
    expected: ['d3', 'f1', 'ss2', 'f1d3', 'ss2d3', 'ss2f1d3', 'ss2f1'],
  },
  {
    title: 'GetSubmissionSetAndContents: confidentiality filter drops the document and its links',
    query: 'GetSubmissionSetAndContents',
    params: (r) => ({ $XDSSubmissionSetUniqueId: r.sets.ss2.uniqueId, $XDSDocumentEntryConfidentialityCode: [key(C.veryRestricted)] }),
    expected: ['f1', 'ss2', 'ss2f1'],
  },
  {
    title: 'GetSubmissionSetAndContents: format filter',
    query: 'GetSubmissionSetAndContents',
    params: (r) => ({ $XDSSubmissionSetEntryUUID: r.sets.ss3.entryUuid, $XDSDocumentEntryFormatCode: [key(C.cda)] }),
    expected: ['d4', 'd7', 'f2', 'f4', 'ss3', 'ss3d4', 'ss3d7', 'ss3f2', 'ss3f4'],
  },
  {
    title: 'GetFolderAndContents',
    query: 'GetFolderAndContents',
    params: (r) => ({ $XDSFolderEntryUUID: r.folders.f1.entryUuid }),
    expected: ['d1', 'd3', 'f1', 'f1d1', 'f1d3'],
  },
  {
    title: 'GetFolderAndContents with AND-ed confidentiality codes',
    query: 'GetFolderAndContents',
    params: (r) => ({ $XDSFolderUniqueId: r.folders.f1.uniqueId, $XDSDocumentEntryConfidentialityCode: [[key(C.normal)], [key(C.restricted)]] }),
    expected: ['d3', 'f1', 'f1d3'],
  },
  {
    title: 'GetFolderAndContents of an empty folder',
    query: 'GetFolderAndContents',
    params: (r) => ({ $XDSFolderEntryUUID: r.folders.f2.entryUuid }),
    expected: ['f2'],
  },
  {
    title: 'GetFoldersForDocument',
    query: 'GetFoldersForDocument',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: r.docs.d1.entryUuid }),
    expected: ['f1'],
  },
  {
    title: 'GetFoldersForDocument of a document in no folder',
    query: 'GetFoldersForDocument',
    params: (r) => ({ $XDSDocumentEntryUniqueId: r.docs.d4.uniqueId }),
    expected: [],
  },
  {
    title: 'GetRelatedDocuments follows RPLC and APND in both directions',
    query: 'GetRelatedDocuments',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: r.docs.d3.entryUuid, $AssociationTypes: [AssociationType.Replace, AssociationType.Append] }),
    expected: ['d2', 'd3', 'd6', 'rplc', 'apnd'],
  },
  {
    title: 'GetRelatedDocuments filtered to XFRM',
    query: 'GetRelatedDocuments',
    params: (r) => ({ $XDSDocumentEntryUniqueId: r.docs.d1.uniqueId, $AssociationTypes: [AssociationType.Transform, AssociationType.Replace] }),
    expected: ['d1', 'd7', 'xfrm'],
  },
  {
    // NIST sends HasMember beside RPLC: HasMember relates no two documents, so it adds nothing,
    // neither d3's folder (f1d3) nor its submission set (ss2d3) memberships.
    title: 'GetRelatedDocuments with HasMember beside RPLC and APND follows the document relationships only',
    query: 'GetRelatedDocuments',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: r.docs.d3.entryUuid, $AssociationTypes: [AssociationType.HasMember, AssociationType.Replace, AssociationType.Append] }),
    expected: ['d2', 'd3', 'd6', 'rplc', 'apnd'],
  },
  {
    title: 'GetRelatedDocuments with HasMember alone, for a document in a folder, is an empty success',
    query: 'GetRelatedDocuments',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: r.docs.d1.entryUuid, $AssociationTypes: [AssociationType.HasMember] }),
    expected: [],
  },
  {
    title: 'GetRelatedDocuments without related documents returns nothing',
    query: 'GetRelatedDocuments',
    params: (r) => ({ $XDSDocumentEntryEntryUUID: r.docs.d1.entryUuid, $AssociationTypes: [AssociationType.Replace] }),
    expected: [],
  },
];

describeEachStore('queries/get (every stored query, LeafClass and ObjectRef)', (ctx) => {
  let r: Registry;
  let names: (ids: readonly string[]) => string[];
  before(async () => {
    r = await loadRegistry(ctx.db);
    names = namer(r);
  });

  for (const c of CASES) {
    it(c.title, async () => {
      const leaf = await runStoredQuery(ctx.db, request(c.query, c.params(r), 'LeafClass'), { maxResults: 100 });
      assert.deepEqual(names(leaf.refs), c.expected);
      assert.equal(leaf.total, c.expected.length);
      assert.deepEqual(
        leaf.objects.map((o) => o.entryUuid),
        leaf.refs,
      );
      assert.deepEqual(
        leaf.objects.map((o) => o.kind),
        c.expected.map(kindOfName),
      );

      const refs = await runStoredQuery(ctx.db, request(c.query, c.params(r), 'ObjectRef'), { maxResults: 100 });
      assert.deepEqual(refs.refs, leaf.refs);
      assert.deepEqual(refs.objects, []);
      assert.deepEqual(
        refs.objectRefs.map((o) => o.id),
        leaf.refs,
      );
    });
  }

  it('LeafClass objects are the stored objects with the current status', async () => {
    const { objects } = await runStoredQuery(ctx.db, request('GetDocuments', { $XDSDocumentEntryEntryUUID: [r.docs.d1.entryUuid, r.docs.d2.entryUuid] }), { maxResults: 10 });
    const [d1, d2] = objects;
    assert.equal(d1?.kind, 'DocumentEntry');
    if (d1?.kind !== 'DocumentEntry' || d2?.kind !== 'DocumentEntry') throw new Error('expected documents');
    assert.equal(d1.title, r.docs.d1.title);
    assert.deepEqual(d1.eventCodes, r.docs.d1.eventCodes);
    assert.deepEqual(d1.authors, r.docs.d1.authors);
    assert.equal(d1.availabilityStatus, APPROVED);
    assert.equal(d2.availabilityStatus, DEPRECATED);
  });

  it('GetDocuments by uniqueId with MetadataLevel 2 returns every version', async () => {
    const res = await runStoredQuery(ctx.db, request('GetDocuments', { $XDSDocumentEntryUniqueId: [r.docs.v2.uniqueId], $MetadataLevel: '2' }), { maxResults: 10 });
    assert.deepEqual(names(res.refs), ['v1', 'v2']);
    const found = await runStoredQuery(ctx.db, request('FindDocuments', { $XDSDocumentEntryPatientId: PATIENT_C, $XDSDocumentEntryStatus: [APPROVED] }), { maxResults: 10 });
    assert.deepEqual(names(found.refs), ['v2']);
  });

  it('ObjectRef carries the homeCommunityId of the request', async () => {
    const req = { ...request('GetFolders', { $XDSFolderEntryUUID: [r.folders.f1.entryUuid] }, 'ObjectRef'), homeCommunityId: 'urn:oid:1.2.203.999.2' };
    const res = await runStoredQuery(ctx.db, req, { maxResults: 10 });
    assert.deepEqual(res.objectRefs, [{ id: r.folders.f1.entryUuid, homeCommunityId: 'urn:oid:1.2.203.999.2' }]);
  });
});
