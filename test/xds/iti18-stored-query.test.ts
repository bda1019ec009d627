// ITI-18 Registry Stored Query (and ITI-51 for the two multi-patient queries) over HTTP: every
// stored query the registry supports, answered as LeafClass and as ObjectRef, the ITI-18 value
// syntax (lists, several Values, AND-ed Slots), and each error code.
import assert from 'node:assert/strict';
import type { Element } from '@xmldom/xmldom';
import { AssociationType } from '../../src/domain/metadata';
import { StoredQueryId, type StoredQueryName } from '../../src/domain/stored-query-catalog';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { fillFixture } from './support/fixtures';
import { documentParts, idsOf, newPatient, oid, provideSingle, quoted, registered, sendFixture, slot, storedQuery, XDS_TRANSACTIONS } from './support/messages';
import { errorCodes, queryObjects, registryResult, type ReadResponse } from './support/responses';
import type { SoapReply } from './support/soap-client';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const LOINC = '2.16.840.1.113883.6.1';
const CONFIDENTIALITY = '2.16.840.1.113883.5.25';
const REFERENCE_ID = 'OBJ-2026-0815^^^&1.2.203.24341.11.2.1.3&ISO^urn:ihe:iti:xds:2013:order';

interface Seeded {
  patient: string;
  other: string;
  /** entryUUIDs */
  d1: string; d2: string; d3: string; d4: string; dq: string; folder: string; ssA: string; ssB: string; ssC: string;
  uid: { d1: string; d2: string; folder: string; ssA: string };
}

/** Objects of an AdhocQueryResponse split by element name. */
function kinds(objects: Element[]): { documents: string[]; packages: string[]; associations: number; refs: string[] } {
  const ids = (local: string) => idsOf(objects.filter((o) => o.localName === local)).sort();
  return { documents: ids('ExtrinsicObject'), packages: ids('RegistryPackage'), associations: objects.filter((o) => o.localName === 'Association').length, refs: ids('ObjectRef') };
}

function success(reply: SoapReply, transaction: 'ITI-18' | 'ITI-51' = 'ITI-18'): Element[] {
  const r = registryResult(reply, transaction === 'ITI-18' ? XDS_TRANSACTIONS.storedQuery.response : XDS_TRANSACTIONS.multiPatientQuery.response);
  assert.equal(r.status, 'Success', JSON.stringify(r.errors));
  return queryObjects(reply);
}

function failure(reply: SoapReply): ReadResponse {
  const r = registryResult(reply, XDS_TRANSACTIONS.storedQuery.response);
  assert.equal(r.status, 'Failure');
  assert.deepEqual(queryObjects(reply), [], 'a failed query returns an empty RegistryObjectList');
  return r;
}

describeEachStoreOverHttp('xds ITI-18 Registry Stored Query', (ctx) => {
  const s = {} as Seeded;

  before(async () => {
    s.patient = await newPatient(ctx.gw);
    s.other = await newPatient(ctx.gw);
    // A: an outpatient report and lab results in a folder.
    s.uid = { d1: oid(), d2: oid(), folder: oid(), ssA: oid() };
    const parts = documentParts([{ id: 'Dokument01', content: Buffer.from('Kardiologie') }, { id: 'Dokument02', content: Buffer.from('%PDF-1.7 lipidy'), mimeType: 'application/pdf' }], 'mtom');
    const a = await sendFixture(ctx.baseUrl, 'repository', 'iti41-multi.xml', { PATIENT: s.patient, SS_UID: s.uid.ssA, DOC_UID_1: s.uid.d1, DOC_UID_2: s.uid.d2, FOLDER_UID: s.uid.folder, DOCUMENTS: parts.markup }, { attachments: parts.attachments });
    assert.equal(registryResult(a).status, 'Success');
    // B: a discharge summary; C: an addendum to it (APND); Q: another patient's discharge summary.
    const b = await provideSingle(ctx.baseUrl, { patient: s.patient });
    assert.equal(registryResult(b.reply).status, 'Success');
    s.d3 = (await registered(ctx.gw, b.submitted.docUid)).entryUuid;
    const c = await provideSingle(ctx.baseUrl, { patient: s.patient, extra: fillFixture('association-relationship.xml', { ASSOCIATION_TYPE: AssociationType.Append, TARGET: s.d3 }) });
    assert.equal(registryResult(c.reply).status, 'Success');
    const q = await provideSingle(ctx.baseUrl, { patient: s.other });
    assert.equal(registryResult(q.reply).status, 'Success');
    s.d1 = (await registered(ctx.gw, s.uid.d1)).entryUuid;
    s.d2 = (await registered(ctx.gw, s.uid.d2)).entryUuid;
    s.d4 = (await registered(ctx.gw, c.submitted.docUid)).entryUuid;
    s.dq = (await registered(ctx.gw, q.submitted.docUid)).entryUuid;
    s.folder = (await registered(ctx.gw, s.uid.folder, 'GetFolders')).entryUuid;
    const sets = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetSubmissionSets, returnType: 'ObjectRef', params: { $uuid: [[s.d1, s.d3, s.d4]] } }), { subject: 'test' });
    const setOf = async (doc: string) => (await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetSubmissionSets, returnType: 'LeafClass', params: { $uuid: [[doc]] } }), { subject: 'test' })).objects.find((o) => o.kind === 'SubmissionSet')!.entryUuid;
    assert.ok(sets.refs.length > 0);
    s.ssA = await setOf(s.d1);
    s.ssB = await setOf(s.d3);
    s.ssC = await setOf(s.d4);
  });

  interface Case {
    query: StoredQueryName;
    slots: () => string[];
    expect: (k: ReturnType<typeof kinds>) => void;
    /** The ids every answer must hold (ObjectRef answers are checked against these plus associations). */
    transaction?: 'ITI-18' | 'ITI-51';
  }

  const cases: Case[] = [
    {
      query: 'FindDocuments',
      slots: () => [slot('$XDSDocumentEntryPatientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))],
      expect: (k) => assert.deepEqual(k.documents, [s.d1, s.d2, s.d3, s.d4].sort()),
    },
    {
      query: 'FindDocumentsByReferenceId',
      slots: () => [slot('$XDSDocumentEntryPatientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED)), slot('$XDSDocumentEntryReferenceIdList', quoted(REFERENCE_ID))],
      expect: (k) => assert.deepEqual(k.documents, [s.d3, s.d4].sort()),
    },
    {
      query: 'FindSubmissionSets',
      slots: () => [slot('$XDSSubmissionSetPatientId', quoted(s.patient)), slot('$XDSSubmissionSetStatus', quoted(APPROVED))],
      expect: (k) => assert.deepEqual(k.packages, [s.ssA, s.ssB, s.ssC].sort()),
    },
    {
      query: 'FindFolders',
      slots: () => [slot('$XDSFolderPatientId', quoted(s.patient)), slot('$XDSFolderStatus', quoted(APPROVED))],
      expect: (k) => assert.deepEqual(k.packages, [s.folder]),
    },
    {
      query: 'GetAll',
      slots: () => [slot('$patientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED)), slot('$XDSSubmissionSetStatus', quoted(APPROVED)), slot('$XDSFolderStatus', quoted(APPROVED))],
      expect: (k) => {
        assert.deepEqual(k.documents, [s.d1, s.d2, s.d3, s.d4].sort());
        assert.deepEqual(k.packages, [s.ssA, s.ssB, s.ssC, s.folder].sort());
        assert.ok(k.associations >= 8, `associations: ${k.associations}`);
      },
    },
    {
      query: 'GetDocuments',
      slots: () => [slot('$XDSDocumentEntryUniqueId', quoted(s.uid.d1, s.uid.d2))],
      expect: (k) => assert.deepEqual(k.documents, [s.d1, s.d2].sort()),
    },
    {
      query: 'GetFolders',
      slots: () => [slot('$XDSFolderEntryUUID', quoted(s.folder))],
      expect: (k) => assert.deepEqual(k.packages, [s.folder]),
    },
    {
      query: 'GetAssociations',
      slots: () => [slot('$uuid', quoted(s.d1))],
      // SubmissionSet A -> D1 and Folder -> D1.
      expect: (k) => assert.equal(k.associations, 2),
    },
    {
      query: 'GetDocumentsAndAssociations',
      slots: () => [slot('$XDSDocumentEntryEntryUUID', quoted(s.d1))],
      expect: (k) => {
        assert.deepEqual(k.documents, [s.d1]);
        assert.equal(k.associations, 2);
      },
    },
    {
      query: 'GetSubmissionSets',
      slots: () => [slot('$uuid', quoted(s.d3))],
      expect: (k) => {
        assert.deepEqual(k.packages, [s.ssB]);
        assert.equal(k.associations, 1);
      },
    },
    {
      query: 'GetSubmissionSetAndContents',
      slots: () => [slot('$XDSSubmissionSetUniqueId', quoted(s.uid.ssA))],
      expect: (k) => {
        assert.deepEqual(k.packages, [s.ssA, s.folder].sort());
        assert.deepEqual(k.documents, [s.d1, s.d2].sort());
        assert.ok(k.associations >= 3, `associations: ${k.associations}`);
      },
    },
    {
      query: 'GetFolderAndContents',
      slots: () => [slot('$XDSFolderUniqueId', quoted(s.uid.folder)), slot('$XDSDocumentEntryConfidentialityCode', quoted(`R^^${CONFIDENTIALITY}`))],
      // The confidentiality filter keeps only the lab results.
      expect: (k) => {
        assert.deepEqual(k.packages, [s.folder]);
        assert.deepEqual(k.documents, [s.d2]);
      },
    },
    {
      query: 'GetFoldersForDocument',
      slots: () => [slot('$XDSDocumentEntryEntryUUID', quoted(s.d2))],
      expect: (k) => assert.deepEqual(k.packages, [s.folder]),
    },
    {
      query: 'GetRelatedDocuments',
      slots: () => [slot('$XDSDocumentEntryEntryUUID', quoted(s.d3)), slot('$AssociationTypes', quoted(AssociationType.Append))],
      expect: (k) => {
        assert.deepEqual(k.documents, [s.d3, s.d4].sort());
        assert.equal(k.associations, 1);
      },
    },
    {
      query: 'FindDocumentsForMultiplePatients',
      transaction: 'ITI-51',
      slots: () => [slot('$XDSDocumentEntryPatientId', quoted(s.patient, s.other)), slot('$XDSDocumentEntryStatus', quoted(APPROVED)), slot('$XDSDocumentEntryClassCode', quoted(`18842-5^^${LOINC}`))],
      expect: (k) => assert.deepEqual(k.documents, [s.d3, s.d4, s.dq].sort()),
    },
    {
      query: 'FindFoldersForMultiplePatients',
      transaction: 'ITI-51',
      slots: () => [slot('$XDSFolderPatientId', quoted(s.patient, s.other)), slot('$XDSFolderStatus', quoted(APPROVED)), slot('$XDSFolderCodeList', quoted(`11488-4^^${LOINC}`))],
      expect: (k) => assert.deepEqual(k.packages, [s.folder]),
    },
  ];

  it('covers every stored query of the catalogue', () => {
    assert.deepEqual(cases.map((c) => c.query).sort(), (Object.keys(StoredQueryId) as StoredQueryName[]).sort());
  });

  for (const c of cases) {
    it(`${c.query}: LeafClass objects and the same ids as ObjectRef`, async () => {
      const leaf = kinds(success(await storedQuery(ctx.baseUrl, StoredQueryId[c.query], 'LeafClass', c.slots(), c.transaction), c.transaction));
      assert.deepEqual(leaf.refs, []);
      c.expect(leaf);
      const refs = success(await storedQuery(ctx.baseUrl, StoredQueryId[c.query], 'ObjectRef', c.slots(), c.transaction), c.transaction);
      assert.ok(refs.every((r) => r.localName === 'ObjectRef' && r.getAttribute('home') === ctx.gw.config.homeCommunityId));
      const expected = [...leaf.documents, ...leaf.packages];
      assert.ok(expected.every((id) => idsOf(refs).includes(id)), 'every LeafClass object is referenced');
      assert.equal(refs.length, expected.length + leaf.associations);
    });
  }

  describe('GetRelatedDocuments as the NIST tests send it (HasMember beside the relationship types)', () => {
    const related = (doc: () => string, ...types: string[]) => async () =>
      kinds(success(await storedQuery(ctx.baseUrl, StoredQueryId.GetRelatedDocuments, 'LeafClass', [slot('$XDSDocumentEntryEntryUUID', quoted(doc())), slot('$AssociationTypes', quoted(...types))])));

    it('returns the related documents and the relationship, not the HasMember links of the document', async () => {
      const k = await related(() => s.d3, AssociationType.HasMember, AssociationType.Replace, AssociationType.Append)();
      assert.deepEqual(k.documents, [s.d3, s.d4].sort());
      assert.deepEqual(k.packages, []);
      assert.equal(k.associations, 1);
    });

    it('a document in a folder with no related document: an empty success', async () => {
      const k = await related(() => s.d2, AssociationType.HasMember, AssociationType.Replace)();
      assert.deepEqual(k, { documents: [], packages: [], associations: 0, refs: [] });
    });
  });

  it('reads the value syntax: lists, lists over several Values, unquoted times, an escaped quote', async () => {
    for (const returnType of ['LeafClass', 'ObjectRef']) {
      const objects = success(await sendFixture(ctx.baseUrl, 'registry', 'iti18-find-documents.xml', { PATIENT: s.patient, RETURN_TYPE: returnType }));
      // Dvořák's discharge summary and its addendum; Černá's report does not match the author.
      assert.deepEqual(idsOf(objects).sort(), [s.d3, s.d4].sort());
    }
  });

  it('AND-s Slots of the same name (confidentiality N, and N or R)', async () => {
    const objects = success(await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'ObjectRef', [
      slot('$XDSDocumentEntryPatientId', quoted(s.patient)),
      slot('$XDSDocumentEntryStatus', quoted(APPROVED)),
      slot('$XDSDocumentEntryConfidentialityCode', quoted(`N^^${CONFIDENTIALITY}`)),
      slot('$XDSDocumentEntryConfidentialityCode', quoted(`N^^${CONFIDENTIALITY}`, `R^^${CONFIDENTIALITY}`)),
    ]));
    assert.deepEqual(idsOf(objects).sort(), [s.d1, s.d3, s.d4].sort());
  });

  describe('errors', () => {
    const findDocuments = (patientValue: string, status = quoted(APPROVED)) =>
      storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', patientValue), slot('$XDSDocumentEntryStatus', status)]);

    it('an unknown query id: XDSUnknownStoredQuery', async () => {
      const r = failure(await storedQuery(ctx.baseUrl, 'urn:uuid:00000000-0000-4000-8000-000000000000', 'LeafClass', []));
      assert.deepEqual(errorCodes(r), ['XDSUnknownStoredQuery']);
    });

    it('a multi-patient query over ITI-18 (and the reverse): XDSUnknownStoredQuery', async () => {
      const r = failure(await storedQuery(ctx.baseUrl, StoredQueryId.FindDocumentsForMultiplePatients, 'LeafClass', [slot('$XDSDocumentEntryStatus', quoted(APPROVED)), slot('$XDSDocumentEntryClassCode', quoted(`18842-5^^${LOINC}`))]));
      assert.deepEqual(errorCodes(r), ['XDSUnknownStoredQuery']);
      const reverse = await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))], 'ITI-51');
      assert.deepEqual(errorCodes(registryResult(reverse, XDS_TRANSACTIONS.multiPatientQuery.response)), ['XDSUnknownStoredQuery']);
    });

    it('a required parameter missing: XDSStoredQueryMissingParam', async () => {
      const r = failure(await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(s.patient))]));
      assert.deepEqual(errorCodes(r), ['XDSStoredQueryMissingParam']);
    });

    it('two values for a single-valued parameter: XDSStoredQueryParamNumber', async () => {
      const r = failure(await findDocuments(quoted(s.patient, s.other)));
      assert.deepEqual(errorCodes(r), ['XDSStoredQueryParamNumber']);
    });

    for (const [what, value] of [
      ['an unquoted string', () => s.patient],
      ['an unterminated quote', () => `'${s.patient}`],
      ['a list not closed', () => `('${s.patient}'`],
      ['list items without a comma', () => `('${s.patient}' '${s.other}')`],
      ['text after the value', () => `'${s.patient}' navíc`],
      ['an empty list', () => '()'],
    ] as const) {
      it(`${what}: XDSRegistryError naming the parameter`, async () => {
        const r = failure(await findDocuments(value()));
        assert.deepEqual(errorCodes(r), ['XDSRegistryError']);
        assert.equal(r.errors[0]!.location, '$XDSDocumentEntryPatientId');
      });
    }

    const findByClass = (...extra: string[]) =>
      storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED)), ...extra]);

    for (const value of ['18842-5^^', '18842-5']) {
      it(`a code without its coding scheme (${value}): XDSRegistryError naming the parameter`, async () => {
        const r = failure(await findByClass(slot('$XDSDocumentEntryClassCode', quoted(value))));
        assert.deepEqual(errorCodes(r), ['XDSRegistryError']);
        assert.equal(r.errors[0]!.location, '$XDSDocumentEntryClassCode');
      });
    }

    it('the obsolete $XDSDocumentEntryClassCodeScheme: XDSStoredQueryParamNumber naming it', async () => {
      const r = failure(await findByClass(slot('$XDSDocumentEntryClassCode', quoted(`18842-5^^${LOINC}`)), slot('$XDSDocumentEntryClassCodeScheme', quoted(LOINC))));
      assert.deepEqual(errorCodes(r), ['XDSStoredQueryParamNumber']);
      assert.equal(r.errors[0]!.location, '$XDSDocumentEntryClassCodeScheme');
    });

    it('a returnType the registry does not answer: XDSRegistryError', async () => {
      const r = failure(await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'RegistryObject', [slot('$XDSDocumentEntryPatientId', quoted(s.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))]));
      assert.deepEqual(errorCodes(r), ['XDSRegistryError']);
    });
  });
});

describeEachStoreOverHttp('xds ITI-18 result limit', (ctx) => {
  it('more results than QUERY_MAX_RESULTS: XDSTooManyResults', async () => {
    const patient = await newPatient(ctx.gw);
    for (let i = 0; i < 3; i++) assert.equal(registryResult((await provideSingle(ctx.baseUrl, { patient })).reply).status, 'Success');
    const r = failure(await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'ObjectRef', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))]));
    assert.deepEqual(errorCodes(r), ['XDSTooManyResults']);
  });
}, { QUERY_MAX_RESULTS: '2' });
