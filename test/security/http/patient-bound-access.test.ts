// A caller bound to one patient (a token's patient context, an assertion's resource-id), end to
// end: the core, not the front end, confines ITI-57, ITI-62 and ITI-86 and Patient reads to that
// patient; a refusal is answered with the transaction's XDS error and leaves its audit record.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parseCx } from '../../../src/domain/hl7v2';
import { patientResourceId } from '../../../src/domain/patient-resource-id';
import { SYSTEM_PRINCIPAL } from '../../../src/domain/principal';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { request, RID_SYSTEM } from '../../fhir/http/support';
import { xml } from '../../xds/support/fixtures';
import { newPatient, oid, registered, sendFixture } from '../../xds/support/messages';
import type { SoapReply } from '../../xds/support/soap-client';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { bearer, errorCodes, publish, registryResult, retrieve, securityFaultCode, type Published } from './support';
import { validateStoredQuery } from '../../../src/xds/stored-query-request';

describe('security: a caller bound to one patient (oidc-provider)', function () {
  this.timeout(60_000);
  let idp: TestOidcProvider;
  before(async () => {
    idp = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
  });
  after(async () => {
    await idp?.close();
  });

  describeEachStoreOverHttp('patient-bound changes and reads', (ctx) => {
    let system: string;
    /** A professional in patient A's context (EHR launch): may change A's documents, nobody else's. */
    let clinicianOfA: string;
    let a: Published;
    let b: Published;
    const repositoryId = () => ctx.gw.config.repositoryUniqueId;

    beforeEach(async () => {
      system = await idp.token({ scope: 'system/*.cruds' });
      a = await publish(ctx.baseUrl, await newPatient(ctx.gw), { headers: bearer(system) });
      b = await publish(ctx.baseUrl, await newPatient(ctx.gw), { headers: bearer(system) });
      clinicianOfA = await idp.token({ scope: 'user/*.cruds', patient: a.patient });
    });

    const as = (token: string) => ({ headers: bearer(token) });
    const deprecate = (patient: string, target: string, token: string) =>
      sendFixture(ctx.baseUrl, 'registry', 'iti57-deprecate.xml', { PATIENT: patient, SS_UID: oid(), TARGET: target }, as(token));
    const removeBytes = (docUid: string, token: string) =>
      sendFixture(ctx.baseUrl, 'repository', 'iti86-remove-documents.xml', { REPOSITORY_1: repositoryId(), DOC_UID_1: docUid, REPOSITORY_2: repositoryId(), DOC_UID_2: oid() }, as(token));

    /** The document's SubmissionSet, entry and their association: what ITI-62 deletes together. */
    async function documentSet(doc: Published): Promise<string[]> {
      const entry = (await registered(ctx.gw, doc.docUid)).entryUuid;
      const r = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetSubmissionSets, returnType: 'LeafClass', params: { $uuid: [[entry]] } }), SYSTEM_PRINCIPAL);
      return [entry, ...r.objects.filter((o) => o.kind === 'SubmissionSet' || o.kind === 'Association').map((o) => o.entryUuid)];
    }
    const deleteSet = async (doc: Published, token: string) =>
      sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: xml((await documentSet(doc)).map((id) => `<rim:ObjectRef id="${id}"/>`).join('')) }, as(token));

    /** The failure records of a transaction about `patient` (none succeeded), with their descriptions. */
    async function failures(transaction: string, patient: string): Promise<string[]> {
      const r = await ctx.gw.db.query<{ outcome: string; resource: { outcomeDesc?: string } }>(
        'SELECT outcome, resource FROM audit_events WHERE $1 = ANY(subtypes) AND patient_id = $2 ORDER BY recorded',
        [`urn:ihe:event-type-code|${transaction}`, patient],
      );
      assert.ok(r.rows.every((e) => e.outcome !== '0'), `no ${transaction} succeeded: ${JSON.stringify(r.rows)}`);
      return r.rows.map((e) => e.resource.outcomeDesc ?? '');
    }

    function refusedWith(reply: SoapReply, code: string): void {
      const r = registryResult(reply);
      assert.equal(r.status, 'Failure', JSON.stringify(r.errors));
      assert.deepEqual([...new Set(errorCodes(r))], [code]);
    }

    it('ITI-57: updates its own patient\'s documents, not another patient\'s (XDSPatientIdDoesNotMatch, audited)', async () => {
      const bEntry = (await registered(ctx.gw, b.docUid)).entryUuid;
      refusedWith(await deprecate(b.patient, bEntry, clinicianOfA), 'XDSPatientIdDoesNotMatch');
      assert.equal((await registered(ctx.gw, b.docUid)).availabilityStatus, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved');
      const records = await failures('ITI-57', b.patient);
      assert.equal(records.length, 1, 'the attempt is in patient B\'s trail');
      assert.match(records[0]!, /XDSPatientIdDoesNotMatch/);

      const own = registryResult(await deprecate(a.patient, (await registered(ctx.gw, a.docUid)).entryUuid, clinicianOfA));
      assert.equal(own.status, 'Success', JSON.stringify(own.errors));
    });

    it('ITI-57 under its own patient\'s SubmissionSet: another patient\'s object answers as an unknown one; a system caller gets XDSPatientIdDoesNotMatch', async () => {
      const bEntry = (await registered(ctx.gw, b.docUid)).entryUuid;
      const unknownEntry = `urn:uuid:${randomUUID()}`;
      const answer = async (target: string, token: string) => {
        const r = registryResult(await deprecate(a.patient, target, token));
        assert.equal(r.status, 'Failure', JSON.stringify(r.errors));
        return JSON.stringify(r.errors).split(target).join('<target>');
      };
      const forUnknown = await answer(unknownEntry, clinicianOfA);
      assert.match(forUnknown, /UnresolvedReferenceException/);
      assert.equal(await answer(bEntry, clinicianOfA), forUnknown);
      assert.match(await answer(bEntry, system), /XDSPatientIdDoesNotMatch/);
      assert.equal((await registered(ctx.gw, b.docUid)).availabilityStatus, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved');
    });

    it('ITI-62: deletes its own patient\'s objects; another patient\'s read as unregistered (audited)', async () => {
      refusedWith(await deleteSet(b, clinicianOfA), 'UnresolvedReferenceException');
      assert.equal((await registered(ctx.gw, b.docUid)).entryUuid, (await documentSet(b))[0], 'nothing of B was deleted');
      const records = await failures('ITI-62', a.patient);
      assert.equal(records.length, 1);
      assert.match(records[0]!, /UnresolvedReferenceException/);

      const own = registryResult(await deleteSet(a, clinicianOfA));
      assert.equal(own.status, 'Success', JSON.stringify(own.errors));
      await assert.rejects(registered(ctx.gw, a.docUid), /not registered/);
    });

    it('ITI-86: removes its own patient\'s documents; another patient\'s read as unknown (audited)', async () => {
      refusedWith(await removeBytes(b.docUid, clinicianOfA), 'XDSDocumentUniqueIdError');
      assert.equal(registryResult(await retrieve(ctx.baseUrl, repositoryId(), b.docUid, as(system))).status, 'Success', 'B\'s bytes are still there');
      const records = await failures('ITI-86', a.patient);
      assert.equal(records.length, 1);
      assert.match(records[0]!, new RegExp(`XDSDocumentUniqueIdError: no document ${b.docUid.replace(/\./g, '\\.')}`));

      const own = registryResult(await removeBytes(a.docUid, clinicianOfA));
      assert.equal(own.status, 'PartialSuccess', JSON.stringify(own.errors));
      assert.equal(registryResult(await retrieve(ctx.baseUrl, repositoryId(), a.docUid, as(system))).status, 'Failure');
    });

    it('refuses a patient\'s own app ITI-57, 62 and 86 even on its own patient: patient/ scopes add documents, never rewrite them', async () => {
      const patientApp = await idp.token({ clientId: idp.clients.patientApp.clientId, scope: 'patient/*.cruds', patient: a.patient });
      assert.equal(securityFaultCode(await deprecate(a.patient, (await registered(ctx.gw, a.docUid)).entryUuid, patientApp)), 'FailedAuthentication');
      assert.equal(securityFaultCode(await deleteSet(a, patientApp)), 'FailedAuthentication');
      assert.equal(securityFaultCode(await removeBytes(a.docUid, patientApp)), 'FailedAuthentication');
      assert.equal((await registered(ctx.gw, a.docUid)).availabilityStatus, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved');
    });

    it('shows a patient-bound caller its own Patient only, by id and by identifier', async () => {
      const patientApp = await idp.token({ clientId: idp.clients.patientApp.clientId, scope: 'patient/*.rs', patient: a.patient });
      const read = (p: Published) => request(`${ctx.fhir}/Patient/${patientResourceId(p.patient)!}`, { headers: { accept: 'application/fhir+json', ...bearer(patientApp) } });
      const search = (p: Published) => request(`${ctx.fhir}/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${parseCx(p.patient)!.id}`)}`, { headers: { accept: 'application/fhir+json', ...bearer(patientApp) } });
      assert.equal((await read(a)).status, 200);
      assert.equal((await read(b)).status, 404, 'another patient reads as unknown');
      assert.equal((await search(a)).resource?.total, 1);
      assert.equal((await search(b)).resource?.total, 0);
    });
  }, () => ({ AUTH: 'on', OAUTH_ISSUERS: idp.issuer, OAUTH_AUDIENCE: DEFAULT_AUDIENCE }));
});
