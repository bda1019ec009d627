// ITI-57 Update Document Set, ITI-62 Delete Document Set and ITI-86 Remove Documents over HTTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AvailabilityStatus } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { xml } from './support/fixtures';
import { newPatient, oid, provideSingle, registered, sendFixture, sha1, XDS_TRANSACTIONS, type SingleSubmission } from './support/messages';
import { errorCodes, registryResult } from './support/responses';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

describeEachStoreOverHttp('xds ITI-57 / ITI-62 / ITI-86 lifecycle', (ctx) => {
  let patient: string;
  beforeEach(async () => {
    patient = await newPatient(ctx.gw);
  });

  async function provided(): Promise<SingleSubmission & { entryUuid: string }> {
    const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient });
    assert.equal(registryResult(reply).status, 'Success');
    return { ...submitted, entryUuid: (await registered(ctx.gw, submitted.docUid)).entryUuid };
  }

  describe('ITI-57 Update Document Set', () => {
    const RESPONSE = XDS_TRANSACTIONS.update.response;
    const updateValues = (doc: SingleSubmission) => ({
      PATIENT: patient, DOC_UID: doc.docUid, HASH: sha1(doc.content), SIZE: doc.content.length, REPOSITORY_ID: ctx.gw.config.repositoryUniqueId,
    });

    it('deprecates a DocumentEntry (UpdateAvailabilityStatus)', async () => {
      const doc = await provided();
      const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti57-deprecate.xml', { PATIENT: patient, SS_UID: oid(), TARGET: doc.entryUuid });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      assert.equal((await registered(ctx.gw, doc.docUid)).availabilityStatus, AvailabilityStatus.Deprecated);
    });

    it('registers a new metadata version that replaces the first', async () => {
      const doc = await provided();
      const first = await registered(ctx.gw, doc.docUid);
      const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti57-update-document-entry.xml', { ...updateValues(doc), SS_UID: oid(), LOGICAL_ID: first.logicalId ?? first.entryUuid });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      const current = await registered(ctx.gw, doc.docUid);
      assert.equal(current.version, 2);
      assert.notEqual(current.entryUuid, first.entryUuid);
      assert.ok(current.kind === 'DocumentEntry' && current.title === 'Propouštěcí zpráva – interní klinika (opravený název)');
    });

    it('refuses an update of a version that is not the latest: XDSMetadataVersionError', async () => {
      const doc = await provided();
      const first = await registered(ctx.gw, doc.docUid);
      const values = { ...updateValues(doc), LOGICAL_ID: first.logicalId ?? first.entryUuid };
      assert.equal(registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti57-update-document-entry.xml', { ...values, SS_UID: oid() })).status, 'Success');
      // The same update again names PreviousVersion 1, which is no longer the latest.
      const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti57-update-document-entry.xml', { ...values, SS_UID: oid() }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSMetadataVersionError']);
    });

    it('refuses a status change of an object the registry does not have', async () => {
      const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti57-deprecate.xml', { PATIENT: patient, SS_UID: oid(), TARGET: `urn:uuid:${randomUUID()}` }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.ok(r.errors.length > 0 && r.errors.every((e) => e.severity === 'Error'));
    });
  });

  describe('ITI-62 Delete Document Set', () => {
    const RESPONSE = XDS_TRANSACTIONS.delete.response;
    const refs = (...ids: string[]) => xml(ids.map((id) => `<rim:ObjectRef id="${id}"/>`).join(''));

    async function setAndMembership(docUuid: string): Promise<{ set: string; association: string }> {
      const r = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetSubmissionSets, returnType: 'LeafClass', params: { $uuid: [[docUuid]] } }), SYSTEM_PRINCIPAL);
      return { set: r.objects.find((o) => o.kind === 'SubmissionSet')!.entryUuid, association: r.objects.find((o) => o.kind === 'Association')!.entryUuid };
    }

    it('deletes a SubmissionSet, its DocumentEntry and their association together', async () => {
      const doc = await provided();
      const { set, association } = await setAndMembership(doc.entryUuid);
      const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: refs(set, doc.entryUuid, association) }), RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      await assert.rejects(registered(ctx.gw, doc.docUid), /not registered/);
    });

    it('refuses to leave an association dangling: ReferencesExistException, nothing deleted', async () => {
      const doc = await provided();
      const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: refs(doc.entryUuid) }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual([...new Set(errorCodes(r))], ['ReferencesExistException']);
      assert.equal((await registered(ctx.gw, doc.docUid)).entryUuid, doc.entryUuid);
    });

    it('refuses an unknown object: UnresolvedReferenceException', async () => {
      const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: refs(`urn:uuid:${randomUUID()}`) }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['UnresolvedReferenceException']);
    });

    it('an empty ObjectRefList is a Sender fault', async () => {
      const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: xml('') });
      assert.equal(reply.status, 400);
    });
  });

  describe('ITI-86 Remove Documents', () => {
    const RESPONSE = XDS_TRANSACTIONS.removeDocuments.response;

    function remove(a: { repository: string; uid: string }, b: { repository: string; uid: string }) {
      return sendFixture(ctx.baseUrl, 'repository', 'iti86-remove-documents.xml', { REPOSITORY_1: a.repository, DOC_UID_1: a.uid, REPOSITORY_2: b.repository, DOC_UID_2: b.uid });
    }

    it('removes the bytes of both documents; a retrieve then finds neither', async () => {
      const repository = ctx.gw.config.repositoryUniqueId;
      const [a, b] = [await provided(), await provided()];
      const r = registryResult(await remove({ repository, uid: a.docUid }, { repository, uid: b.docUid }), RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      for (const d of [a, b]) await assert.rejects(ctx.gw.repository.retrieve({ repositoryUniqueId: repository, documentUniqueId: d.docUid }), /XDSDocumentUniqueIdError/);
    });

    it('PartialSuccess with XDSDocumentUniqueIdError for an unknown document', async () => {
      const repository = ctx.gw.config.repositoryUniqueId;
      const a = await provided();
      const unknown = oid();
      const r = registryResult(await remove({ repository, uid: a.docUid }, { repository, uid: unknown }), RESPONSE);
      assert.equal(r.status, 'PartialSuccess');
      assert.deepEqual(errorCodes(r), ['XDSDocumentUniqueIdError']);
      assert.equal(r.errors[0]!.location, unknown);
    });

    it('Failure with XDSUnknownRepositoryId when nothing is in this repository', async () => {
      const a = await provided();
      const r = registryResult(await remove({ repository: '1.2.203.99.1', uid: a.docUid }, { repository: '1.2.203.99.1', uid: oid() }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSUnknownRepositoryId', 'XDSUnknownRepositoryId']);
    });
  });
});
