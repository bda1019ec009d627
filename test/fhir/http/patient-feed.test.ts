// ITI-104 over HTTP: conditional update of Patient by identifier registers the patient
// for the registry's patient checks (201 new, 200 known), in JSON and XML.
import assert from 'node:assert/strict';
import { SYSTEM_PRINCIPAL } from '../../../src/domain/principal';
import { TEST_AUTHORITY } from '../../support/metadata-builders';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { FHIR_XML, RID_SYSTEM, issuesOf, request } from './support';

const patient = (value: string, family = 'Dvořáková') => ({ resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value }], name: [{ family, given: ['Eva'] }] });
const putUrl = (fhir: string, system: string, value: string) => `${fhir}/Patient?identifier=${encodeURIComponent(`${system}|${value}`)}`;

describeEachStoreOverHttp('fhir/http ITI-104 Patient Identity Feed', (ctx) => {
  it('creates (201, Location) and then updates (200) the patient in the registry', async () => {
    const created = await request(putUrl(ctx.fhir, RID_SYSTEM, '8001011234'), { method: 'PUT', json: patient('8001011234') });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location')!;
    assert.ok(location.startsWith(`${ctx.fhir}/Patient/`), location);
    assert.equal(created.resource!.id, location.split('/').pop());
    const cx = `8001011234^^^&${TEST_AUTHORITY}&ISO`;
    assert.equal((await ctx.gw.registry.getPatient(cx, SYSTEM_PRINCIPAL))?.active, true);

    const updated = await request(putUrl(ctx.fhir, RID_SYSTEM, '8001011234'), { method: 'PUT', json: patient('8001011234', 'Nová') });
    assert.equal(updated.status, 200);
    const read = await request(location);
    assert.equal(read.status, 200);
    assert.equal(read.resource!.name[0].family, 'Nová');
    const found = await request(`${ctx.fhir}/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|8001011234`)}`);
    assert.equal(found.resource!.type, 'searchset');
    assert.equal(found.resource!.total, 1);
  });

  // FHIR R4 id is [A-Za-z0-9\-\.]{1,64}: an underscore or a long value cannot be the id as it is.
  for (const [label, value] of [['an underscore', 'MRN_2026_0042'], ['60 characters', `X${'7'.repeat(59)}`]] as const) {
    it(`an identifier value with ${label}: 201 with a valid, stable id and a Location that reads the Patient back`, async () => {
      const created = await request(putUrl(ctx.fhir, RID_SYSTEM, value), { method: 'PUT', json: patient(value) });
      assert.equal(created.status, 201, created.text);
      const id = created.resource!.id;
      assert.match(id, /^[A-Za-z0-9.-]{1,64}$/);
      assert.equal(created.headers.get('location'), `${ctx.fhir}/Patient/${id}`);
      const read = await request(created.headers.get('location')!);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.resource!.identifier[0].value, value);
      const again = await request(putUrl(ctx.fhir, RID_SYSTEM, value), { method: 'PUT', json: patient(value, 'Nová') });
      assert.equal(again.status, 200);
      assert.equal(again.resource!.id, id, 'the same patient keeps its id');
    });
  }

  it('takes and answers FHIR XML', async () => {
    const reply = await request(putUrl(ctx.fhir, RID_SYSTEM, '8501019999'), { method: 'PUT', xml: patient('8501019999') });
    assert.equal(reply.status, 201, reply.text);
    assert.ok(reply.headers.get('content-type')!.startsWith(FHIR_XML));
    assert.equal(reply.resource!.identifier[0].value, '8501019999');
  });

  it('an identifier system outside the affinity domain: 422 XDSUnknownPatientId, nothing registered', async () => {
    const reply = await request(putUrl(ctx.fhir, 'http://example.org/mrn', '42'), { method: 'PUT', json: { resourceType: 'Patient', identifier: [{ system: 'http://example.org/mrn', value: '42' }] } });
    assert.equal(reply.status, 422, reply.text);
    assert.deepEqual(issuesOf(reply.resource).map(([code]) => code), ['XDSUnknownPatientId']);
    const other = await request(putUrl(ctx.fhir, 'urn:oid:2.25.77', '42'), { method: 'PUT', json: { resourceType: 'Patient', identifier: [{ system: 'urn:oid:2.25.77', value: '42' }] } });
    assert.equal(other.status, 422, 'a well-formed OID the registry does not accept');
    assert.equal((await ctx.gw.registry.getPatient('42^^^&2.25.77&ISO', SYSTEM_PRINCIPAL)), undefined);
  });

  it('refuses a request without identifier, with a body missing that identifier, or not a Patient: 400', async () => {
    const noIdentifier = await request(`${ctx.fhir}/Patient`, { method: 'PUT', json: patient('8001011234') });
    assert.equal(noIdentifier.status, 400);
    const mismatch = await request(putUrl(ctx.fhir, RID_SYSTEM, '8001011234'), { method: 'PUT', json: patient('9001011234') });
    assert.equal(mismatch.status, 400);
    assert.deepEqual(mismatch.resource!.issue[0].expression, ['Patient.identifier']);
    const notPatient = await request(putUrl(ctx.fhir, RID_SYSTEM, '8001011234'), { method: 'PUT', json: { resourceType: 'Organization' } });
    assert.equal(notPatient.status, 400);
  });

  it('an unknown Patient id: 404', async () => {
    const reply = await request(`${ctx.fhir}/Patient/00000000-123`);
    assert.equal(reply.status, 404);
    assert.equal(reply.resource!.resourceType, 'OperationOutcome');
  });
});
