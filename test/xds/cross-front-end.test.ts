// One registry behind two front ends: a document provided over XDS.b (ITI-41) is found over
// MHD (ITI-67) and retrieved by the ITI-68 URL; one published over MHD (ITI-65) is found over
// ITI-18 and retrieved over ITI-43. Same bytes, same identifiers, either way.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { childNamed, childrenNamed } from '../../src/soap';
import { XDS_NS } from '../../src/xds/namespaces';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { TEST_AUTHORITY } from '../support/metadata-builders';
import { documentBytes, feedPatient, freshBundle, request, RID_SYSTEM, type Json } from '../fhir/http/support';
import { idsOf, provideSingle, quoted, registered, sendFixture, slot, storedQuery, XDS_TRANSACTIONS } from './support/messages';
import { queryObjects, registryResult } from './support/responses';
import { readAll } from './support/soap-client';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';

/** A RID (10 digits, divisible by 13) not used by any fixture. */
function freshRid(): string {
  return String(13 * randomInt(76_923_077, 769_230_769));
}

describeEachStoreOverHttp('xds <-> mhd: one registry, two front ends', (ctx) => {
  it('ITI-41 -> registry query, ITI-67 search by patient.identifier, ITI-68 retrieve', async () => {
    const rid = freshRid();
    assert.equal((await feedPatient(ctx.fhir, rid)).status < 300, true);
    const patient = `${rid}^^^&${TEST_AUTHORITY}&ISO`;
    const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient });
    assert.equal(registryResult(reply, XDS_TRANSACTIONS.provideAndRegister.response).status, 'Success');

    const found = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryPatientId: [[patient]], $XDSDocumentEntryStatus: [[APPROVED]] } }), SYSTEM_PRINCIPAL);
    assert.deepEqual(found.objects.map((o) => (o.kind === 'DocumentEntry' ? o.uniqueId : '')), [submitted.docUid]);

    const search = await request(`${ctx.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}&status=current`);
    assert.equal(search.status, 200, search.text);
    const refs = (search.resource!.entry ?? []).map((e: Json) => e.resource).filter((r: Json) => r.resourceType === 'DocumentReference');
    assert.equal(refs.length, 1);
    assert.equal(refs[0].masterIdentifier.value, `urn:oid:${submitted.docUid}`);
    const url = refs[0].content[0].attachment.url as string;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), submitted.content);
  });

  it('ITI-65 -> ITI-18 FindDocuments (LeafClass and ObjectRef) -> ITI-43 retrieve', async () => {
    assert.ok((await feedPatient(ctx.fhir)).status < 300);
    const bundle = freshBundle('minimal-bundle.json');
    const published = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(published.status, 200, published.text);
    const uniqueId = (bundle.entry[1].resource.masterIdentifier.value as string).replace(/^urn:oid:/, '');
    const entry = await registered(ctx.gw, uniqueId);
    assert.ok(entry.kind === 'DocumentEntry');
    const patient = entry.patientId;

    const leaf = await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))]);
    assert.ok(idsOf(queryObjects(leaf)).includes(entry.entryUuid));
    const refs = await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'ObjectRef', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))]);
    assert.ok(idsOf(queryObjects(refs)).includes(entry.entryUuid));

    const retrieved = await sendFixture(ctx.baseUrl, 'repository', 'iti43-retrieve.xml', {
      HOME: ctx.gw.config.homeCommunityId,
      REPOSITORY_1: entry.repositoryUniqueId!, DOC_UID_1: uniqueId,
      REPOSITORY_2: entry.repositoryUniqueId!, DOC_UID_2: uniqueId,
      REPOSITORY_3: entry.repositoryUniqueId!, DOC_UID_3: uniqueId,
    });
    assert.equal(registryResult(retrieved, XDS_TRANSACTIONS.retrieve.response).status, 'Success');
    const responses = childrenNamed(retrieved.payload, XDS_NS.xdsb, 'DocumentResponse');
    const expected = documentBytes(bundle);
    for (const dr of responses) assert.deepEqual(await readAll(retrieved.message.binary(childNamed(dr, XDS_NS.xdsb, 'Document')!).open()), expected);
    await retrieved.message.dispose();
  });
});
