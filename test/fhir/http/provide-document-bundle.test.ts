// ITI-65 over HTTP against the running gateway: both fixtures in JSON and XML, the
// transaction-response, and the cross-check that the core's FindDocuments finds what MHD
// published; then relatesTo replaces end to end and patient references resolved here.
import assert from 'node:assert/strict';
import { SYSTEM_PRINCIPAL } from '../../../src/domain/principal';
import { StoredQueryId } from '../../../src/domain/stored-queries';
import { describeEachStoreOverHttp, type HttpGatewayContext } from '../../support/http-gateway';
import { TEST_AUTHORITY } from '../../support/metadata-builders';
import { APPROVED, DEPRECATED, FHIR_JSON, FHIR_XML, documentBytes, feedPatient, freshBundle, request, RID, RID_SYSTEM, withFreshIds, type Json } from './support';
import { validateStoredQuery } from '../../../src/xds/stored-query-request';

const PATIENT_CX = `${RID}^^^&${TEST_AUTHORITY}&ISO`;

function findDocuments(ctx: HttpGatewayContext, status: string) {
  return ctx.gw.registry.query(
    validateStoredQuery({ queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryPatientId: [[PATIENT_CX]], $XDSDocumentEntryStatus: [[status]] } }),
    SYSTEM_PRINCIPAL,
  );
}

function uniqueIdOf(bundle: Json, index = 1): string {
  return String(bundle.entry[index].resource.masterIdentifier.value).replace(/^urn:oid:/, '');
}

/** Checks the transaction-response against the request: one entry each, in order, 201 with a Location. */
function assertTransactionResponse(ctx: HttpGatewayContext, request: Json, response: Json): void {
  assert.equal(response.resourceType, 'Bundle');
  assert.equal(response.type, 'transaction-response');
  assert.deepEqual(response.meta.profile, ['https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.ProvideDocumentBundleResponse']);
  assert.equal(response.entry.length, request.entry.length);
  request.entry.forEach((e: Json, i: number) => {
    const r = response.entry[i].response;
    const type = e.resource.resourceType;
    if (type === 'Patient') {
      assert.equal(r.status, '200 OK');
      return;
    }
    assert.equal(r.status, '201 Created', `entry ${i}`);
    if (type === 'Binary') {
      assert.ok(r.location.startsWith(`${ctx.fhir}/Binary/${encodeURIComponent(uniqueIdOf(request))}?repositoryUniqueId=`), r.location);
    } else {
      // Registered objects are located by their entryUUID, which the fullUrl urn:uuid became.
      assert.equal(r.location, `${type}/${e.fullUrl.replace('urn:uuid:', '')}`);
    }
  });
}

describeEachStoreOverHttp('fhir/http ITI-65 Provide Document Bundle', (ctx) => {
  before(async () => {
    assert.equal((await feedPatient(ctx.fhir)).status < 300, true);
  });

  for (const name of ['comprehensive-bundle.json', 'minimal-bundle.json'] as const) {
    for (const format of ['json', 'xml'] as const) {
      it(`registers the ${name.split('-')[0]} fixture sent as ${format}, answers in ${format}, and FindDocuments finds it`, async () => {
        const bundle = freshBundle(name);
        const reply = await request(ctx.fhir, { method: 'POST', ...(format === 'json' ? { json: bundle } : { xml: bundle }) });
        assert.equal(reply.status, 200, reply.text);
        assert.ok(reply.headers.get('content-type')!.startsWith(format === 'json' ? FHIR_JSON : FHIR_XML));
        assert.match(reply.headers.get('content-type')!, /charset=utf-8/);
        assertTransactionResponse(ctx, bundle, reply.resource!);

        const found = await findDocuments(ctx, APPROVED);
        const entry = found.objects.find((o) => o.kind === 'DocumentEntry' && o.uniqueId === uniqueIdOf(bundle));
        assert.ok(entry && entry.kind === 'DocumentEntry', 'FindDocuments returns the published document');
        const bytes = documentBytes(bundle);
        assert.equal(entry.size, bytes.length);
        assert.equal(entry.mimeType, 'text/plain');
        assert.equal(entry.repositoryUniqueId, ctx.gw.repository.repositoryUniqueId);
        assert.equal(entry.entryUuid, bundle.entry[1].fullUrl);
      });
    }
  }

  it('answers in the format Accept asks for, whatever the request was written in', async () => {
    const reply = await request(ctx.fhir, { method: 'POST', xml: freshBundle('minimal-bundle.json'), headers: { Accept: FHIR_JSON } });
    assert.equal(reply.status, 200, reply.text);
    assert.ok(reply.headers.get('content-type')!.startsWith(FHIR_JSON));
    const viaFormat = await request(`${ctx.fhir}?_format=xml`, { method: 'POST', json: freshBundle('minimal-bundle.json'), headers: { Accept: FHIR_JSON } });
    assert.equal(viaFormat.status, 200, viaFormat.text);
    assert.ok(viaFormat.headers.get('content-type')!.startsWith(FHIR_XML), '_format wins over Accept');
    assert.equal(viaFormat.resource!.type, 'transaction-response');
  });

  it('takes the bytes from attachment.data as well as from a Binary entry', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    const binary = bundle.entry.splice(2, 1)[0].resource;
    const attachment = bundle.entry[1].resource.content[0].attachment;
    delete attachment.url;
    attachment.data = binary.data;
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    const found = await findDocuments(ctx, APPROVED);
    assert.ok(found.objects.some((o) => o.kind === 'DocumentEntry' && o.uniqueId === uniqueIdOf(bundle)));
  });

  it('reports a warning in the outcome of the entry it concerns, and still registers', async () => {
    // The hash as base64 of the hex text instead of the digest bytes: accepted with a warning.
    const bundle = freshBundle('comprehensive-bundle.json');
    const attachment = bundle.entry[1].resource.content[0].attachment;
    attachment.hash = Buffer.from(Buffer.from(attachment.hash, 'base64').toString('hex')).toString('base64');
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    const outcome = reply.resource!.entry[1].response.outcome;
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.equal(outcome.issue[0].severity, 'warning');
    assert.deepEqual(outcome.issue[0].expression, ['Bundle.entry[1].resource.content[0].attachment.hash']);
    assert.equal(reply.resource!.entry[0].response.outcome, undefined);
  });

  it('an Organization authenticator: registered without legalAuthenticator, with a warning at the authenticator', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    const dr = bundle.entry[1].resource;
    dr.contained.push({ resourceType: 'Organization', id: 'signing-org', name: 'Nemocnice Ukázka' });
    dr.authenticator = { reference: '#signing-org' };
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    const issue = reply.resource!.entry[1].response.outcome.issue[0];
    assert.deepEqual([issue.severity, issue.expression], ['warning', ['Bundle.entry[1].resource.authenticator']]);
    const entry = (await findDocuments(ctx, APPROVED)).objects.find((o) => o.kind === 'DocumentEntry' && o.uniqueId === uniqueIdOf(bundle));
    assert.ok(entry && entry.kind === 'DocumentEntry', 'registered');
    assert.equal(entry.legalAuthenticator, undefined);
  });

  it('resolves a subject that references the Patient fed over ITI-104', async () => {
    const fed = await feedPatient(ctx.fhir);
    const patientRef = new URL(fed.headers.get('location')!).pathname.replace('/fhir/', '');
    const bundle = freshBundle('minimal-bundle.json');
    const patientEntry = bundle.entry.findIndex((e: Json) => e.resource.resourceType === 'Patient');
    bundle.entry.splice(patientEntry, 1);
    for (const e of bundle.entry) if (e.resource.subject) e.resource.subject = { reference: patientRef };
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    const found = await findDocuments(ctx, APPROVED);
    assert.ok(found.objects.some((o) => o.kind === 'DocumentEntry' && o.uniqueId === uniqueIdOf(bundle)));
  });

  it('the same document (masterIdentifier and bytes) in a new Bundle is a second DocumentReference; search by identifier finds both, the Binary still reads', async () => {
    const first = freshBundle('comprehensive-bundle.json');
    assert.equal((await request(ctx.fhir, { method: 'POST', json: first })).status, 200);
    const again = withFreshIds(first);
    again.entry[1].resource.masterIdentifier.value = first.entry[1].resource.masterIdentifier.value;
    const reply = await request(ctx.fhir, { method: 'POST', json: again });
    assert.equal(reply.status, 200, reply.text);

    const identifier = `urn:ietf:rfc:3986|${first.entry[1].resource.masterIdentifier.value}`;
    const found = await request(`${ctx.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&identifier=${encodeURIComponent(identifier)}`);
    assert.equal(found.status, 200, found.text);
    const ids = found.resource!.entry.map((e: Json) => e.resource.id).sort();
    assert.deepEqual(ids, [first.entry[1].fullUrl, again.entry[1].fullUrl].map((u: string) => u.replace('urn:uuid:', '')).sort());

    const binary = await fetch(reply.resource!.entry.find((e: Json) => e.response.location.includes('/Binary/')).response.location);
    assert.deepEqual(Buffer.from(await binary.arrayBuffer()), documentBytes(first));
  });

  it('relatesTo replaces: the original becomes Deprecated (superseded) and the new one Approved', async () => {
    const original = freshBundle('comprehensive-bundle.json');
    assert.equal((await request(ctx.fhir, { method: 'POST', json: original })).status, 200);
    const originalId = original.entry[1].fullUrl.replace('urn:uuid:', '');

    const replacement = freshBundle('comprehensive-bundle.json');
    replacement.entry[1].resource.relatesTo = [{ code: 'replaces', target: { reference: `DocumentReference/${originalId}` } }];
    const reply = await request(ctx.fhir, { method: 'POST', json: replacement });
    assert.equal(reply.status, 200, reply.text);

    const deprecated = await findDocuments(ctx, DEPRECATED);
    assert.ok(deprecated.refs.includes(`urn:uuid:${originalId}`), 'the replaced document is Deprecated');
    const approved = await findDocuments(ctx, APPROVED);
    assert.ok(!approved.refs.includes(`urn:uuid:${originalId}`));
    assert.ok(approved.refs.includes(replacement.entry[1].fullUrl));

    // The same seen through MHD: the original reads as superseded, the new one points at it.
    const read = await request(`${ctx.fhir}/DocumentReference/${originalId}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.resource!.status, 'superseded');
    const newer = await request(`${ctx.fhir}/DocumentReference/${replacement.entry[1].fullUrl.replace('urn:uuid:', '')}`);
    assert.equal(newer.resource!.status, 'current');
    assert.deepEqual(newer.resource!.relatesTo?.map((r: Json) => [r.code, r.target?.reference]), [['replaces', `DocumentReference/${originalId}`]]);
  });
});
