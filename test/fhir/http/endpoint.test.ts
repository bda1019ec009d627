// The /fhir endpoint as a whole: the CapabilityStatement in JSON and XML, the ITI-66/67
// search routes wired to the search module, and OperationOutcomes for unknown routes and
// methods.
import assert from 'node:assert/strict';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { FHIR_JSON, FHIR_XML, RID, RID_SYSTEM, feedPatient, freshBundle, request, type Json } from './support';

const MHD_CS = 'https://profiles.ihe.net/ITI/MHD/CapabilityStatement';

describeEachStoreOverHttp('fhir/http endpoint: metadata, search routes, errors', (ctx) => {
  let bundle: Json;
  let documentId: string;
  let submissionSetId: string;

  before(async () => {
    await feedPatient(ctx.fhir);
    bundle = freshBundle('comprehensive-bundle.json');
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    documentId = reply.resource!.entry[1].response.location.split('/')[1];
    submissionSetId = reply.resource!.entry[0].response.location.split('/')[1];
  });

  describe('GET /fhir/metadata', () => {
    function assertCapabilities(cs: Json): void {
      assert.equal(cs.resourceType, 'CapabilityStatement');
      assert.equal(cs.kind, 'instance');
      assert.equal(cs.fhirVersion, '4.0.1');
      assert.deepEqual(cs.format, ['application/fhir+json', 'application/fhir+xml', 'json', 'xml']);
      for (const actor of ['IHE.MHD.DocumentRecipient', 'IHE.MHD.DocumentRecipient.Comprehensive', 'IHE.MHD.DocumentRecipient.UnContained', 'IHE.MHD.DocumentResponder']) {
        assert.ok(cs.instantiates.includes(`${MHD_CS}/${actor}`), actor);
      }
      assert.equal(cs.implementation.url, ctx.fhir);
      const rest = cs.rest[0];
      assert.equal(rest.mode, 'server');
      assert.ok(rest.interaction.every((i: Json) => i.code === 'transaction'));
      const byType = new Map(rest.resource.map((r: Json) => [r.type, r]));
      assert.deepEqual([...byType.keys()].sort(), ['AuditEvent', 'Binary', 'DocumentReference', 'List', 'Patient', 'Subscription']);
      const names = (type: string) => (byType.get(type) as Json).searchParam.map((p: Json) => p.name);
      for (const p of ['patient', 'patient.identifier', 'status', 'creation', 'author.given', 'author.family', 'category', 'type', 'setting', 'period', 'facility', 'event', 'security-label', 'format', 'related', 'identifier', 'hcid']) {
        assert.ok(names('DocumentReference').includes(p), `DocumentReference ${p}`);
      }
      for (const p of ['code', 'patient', 'patient.identifier', 'date', 'designationType', 'source.given', 'source.family', 'sourceId', 'status', 'identifier']) {
        assert.ok(names('List').includes(p), `List ${p}`);
      }
      assert.equal((byType.get('Patient') as Json).conditionalUpdate, true);
      for (const p of ['date', 'patient.identifier', 'type', 'subtype', 'outcome', 'agent', 'entity', 'entity-type', 'entity-role', 'source', 'address', 'altid']) {
        assert.ok(names('AuditEvent').includes(p), `AuditEvent ${p}`);
      }
      assert.deepEqual((byType.get('AuditEvent') as Json).interaction.map((i: Json) => i.code).sort(), ['create', 'read', 'search-type']);
    }

    it('answers JSON by default', async () => {
      const reply = await request(`${ctx.fhir}/metadata`);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get('content-type'), `${FHIR_JSON}; charset=utf-8`);
      assertCapabilities(reply.resource!);
    });

    it('answers XML for Accept: application/fhir+xml and for _format=xml', async () => {
      for (const reply of [await request(`${ctx.fhir}/metadata`, { headers: { Accept: FHIR_XML } }), await request(`${ctx.fhir}/metadata?_format=xml`)]) {
        assert.equal(reply.headers.get('content-type'), `${FHIR_XML}; charset=utf-8`);
        assert.match(reply.text, /^<\?xml[^>]*\?><CapabilityStatement xmlns="http:\/\/hl7.org\/fhir">/);
        assertCapabilities(reply.resource!);
      }
    });

    it('refuses an unknown _format with 406', async () => {
      const reply = await request(`${ctx.fhir}/metadata?_format=text/csv`);
      assert.equal(reply.status, 406);
      assert.equal(reply.resource!.resourceType, 'OperationOutcome');
    });
  });

  describe('ITI-67 / ITI-66 routes', () => {
    const byPatient = `patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`;

    it('GET DocumentReference finds the published document; XML on request', async () => {
      const json = await request(`${ctx.fhir}/DocumentReference?${byPatient}&status=current`);
      assert.equal(json.status, 200, json.text);
      assert.equal(json.resource!.type, 'searchset');
      assert.ok(json.resource!.entry.some((e: Json) => e.resource.id === documentId));
      const xml = await request(`${ctx.fhir}/DocumentReference?${byPatient}&status=current&_format=xml`);
      assert.equal(xml.headers.get('content-type'), `${FHIR_XML}; charset=utf-8`);
      assert.ok(xml.resource!.entry.some((e: Json) => e.resource.id === documentId));
    });

    it('POST DocumentReference/_search with a form body finds the same', async () => {
      const reply = await request(`${ctx.fhir}/DocumentReference/_search`, {
        method: 'POST',
        body: `${byPatient}&status=current`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(reply.status, 200, reply.text);
      assert.ok(reply.resource!.entry.some((e: Json) => e.resource.id === documentId));
    });

    it('Prefer: handling=strict makes an unknown parameter a 400; lenient ignores it', async () => {
      const strict = await request(`${ctx.fhir}/DocumentReference?${byPatient}&status=current&colour=blue`, { headers: { Prefer: 'handling=strict' } });
      assert.equal(strict.status, 400, strict.text);
      assert.ok(strict.resource!.issue.some((i: Json) => i.expression?.includes('colour')));
      const lenient = await request(`${ctx.fhir}/DocumentReference?${byPatient}&status=current&colour=blue`);
      assert.equal(lenient.status, 200, lenient.text);
      assert.ok(lenient.resource!.entry.some((e: Json) => e.resource.id === documentId));
    });

    it('the Czech hcid parameter is accepted', async () => {
      const reply = await request(`${ctx.fhir}/DocumentReference?${byPatient}&status=current&hcid=${encodeURIComponent(ctx.gw.config.homeCommunityId)}`, { headers: { Prefer: 'handling=strict' } });
      assert.equal(reply.status, 200, reply.text);
      assert.ok(reply.resource!.entry.some((e: Json) => e.resource.id === documentId));
    });

    it('reads DocumentReference and List by id; an unknown id is 404', async () => {
      const dr = await request(`${ctx.fhir}/DocumentReference/${documentId}`);
      assert.equal(dr.status, 200, dr.text);
      assert.equal(dr.resource!.masterIdentifier.value, bundle.entry[1].resource.masterIdentifier.value);
      const list = await request(`${ctx.fhir}/List/${submissionSetId}`);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.resource!.resourceType, 'List');
      const missing = await request(`${ctx.fhir}/DocumentReference/00000000-0000-4000-8000-000000000000`);
      assert.equal(missing.status, 404);
      assert.equal(missing.resource!.resourceType, 'OperationOutcome');
    });

    it('GET List finds the SubmissionSet', async () => {
      const reply = await request(`${ctx.fhir}/List?${byPatient}&code=submissionset&status=current`);
      assert.equal(reply.status, 200, reply.text);
      assert.ok(reply.resource!.entry.some((e: Json) => e.resource.id === submissionSetId));
    });
  });

  describe('routing', () => {
    it('an unknown path under /fhir: 404 OperationOutcome', async () => {
      const reply = await request(`${ctx.fhir}/Observation`);
      assert.equal(reply.status, 404);
      assert.equal(reply.resource!.issue[0].code, 'not-found');
    });

    it('a known path with another method: 405 with Allow', async () => {
      const reply = await request(`${ctx.fhir}/DocumentReference/${documentId}`, { method: 'DELETE' });
      assert.equal(reply.status, 405);
      assert.match(reply.headers.get('allow') ?? '', /GET/);
      assert.equal(reply.resource!.resourceType, 'OperationOutcome');
      const create = await request(`${ctx.fhir}/DocumentReference`, { method: 'POST', json: { resourceType: 'DocumentReference' } });
      assert.equal(create.status, 405);
    });

    it('leaves paths outside /fhir alone', async () => {
      const health = await fetch(`${ctx.baseUrl}/health`);
      assert.equal(health.status, 200);
      const other = await fetch(`${ctx.baseUrl}/fhirish`);
      assert.equal(other.status, 404);
      assert.ok(!(other.headers.get('content-type') ?? '').includes('fhir'));
    });
  });
});
