// The eRecept bridge end to end: FHIR MedicationRequest / MedicationDispense at /fhir of a real
// gateway, its CÚER client over mutual TLS + HTTP Basic with signed messages, against the CÚER
// simulator (support/cuer-simulator.ts) on a free loopback port with certificates made by
// openssl for this run. Covers create, read, list, change, cancel, dispense; every Chyba code of
// wsdl/erecept carried to an OperationOutcome; a tampered signature refused; CÚER down -> 503
// with Retry-After and nothing half-done; an audit record for every call, with the patient.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { randomUUID } from 'node:crypto';
import { CuerFault, CuerRejected, CuerUnavailable } from '../../src/bridges/erecept/cuer-client';
import { cuerRequests } from '../../src/bridges/erecept/cuer-xml';
import { signRequest } from '../../src/bridges/erecept/message-signature';
import { RID_SYSTEM, SUKL_PRODUCT_SYSTEM } from '../../src/domain/czech-identifiers';
import { CUER_ERROR_SYSTEM, cuerOutcome } from '../../src/fhir/erecept/cuer-outcome';
import { CUER_ID_SYSTEM } from '../../src/fhir/erecept/medication-request-mapping';
import { CuerClient } from '../../src/bridges/erecept/cuer-client';
import { Secret } from '../../src/bridges/erecept/erecept-config';
import type { AuditEvent } from '../../src/audit/fhir-audit-event';
import { declaredProfileViolations } from '../audit/support/audit-profile-checks';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { CUER_USER, cuerFixture } from './support/cuer-fixture';
import { UNKNOWN_PRODUCT } from './support/cuer-simulator';
import { medicationRequest, RID } from './support/medication-request';

type Json = Record<string, any>;


describe('eRecept bridge (FHIR facade, CÚER client, CÚER simulator)', function () {
  this.timeout(120_000);
  const cuer = cuerFixture();

  describeEachStoreOverHttp(
    'over /fhir',
    (ctx) => {
      const send = async (method: string, url: string, body?: Json) => {
        const res = await fetch(`${ctx.fhir}${url}`, {
          method,
          headers: { Accept: 'application/fhir+json', ...(body ? { 'Content-Type': 'application/fhir+json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
      };
      const issueOf = (body: Json) => body.issue[0] as Json;
      const cuerCode = (body: Json) => (issueOf(body).details?.coding as Json[] | undefined)?.find((c) => c.system === CUER_ERROR_SYSTEM)?.code;
      const events = async (subtype: string) =>
        (await ctx.gw.db.query<{ patient_id: string | null; outcome: string; action: string; resource: Json }>(`SELECT patient_id, outcome, action, resource FROM audit_events WHERE $1 = ANY(subtypes) ORDER BY recorded, id`, [subtype])).rows;
      const ridCx = () => `${RID}^^^&${ctx.gw.config.profile.patientIdSystems[RID_SYSTEM]}&ISO`;

      let id: string;

      it('creates a prescription: 201, the CÚER ID_Dokladu as id and identifier, Location, audited with the patient', async () => {
        const res = await send('POST', '/MedicationRequest', medicationRequest());
        assert.equal(res.status, 201, JSON.stringify(res.body));
        id = res.body.id;
        assert.match(id, /^[0-9A-Z]{12}$/);
        assert.deepEqual(res.body.identifier, [{ system: CUER_ID_SYSTEM, value: id }]);
        assert.equal(res.body.status, 'active');
        assert.equal(res.headers.get('location'), `${ctx.fhir}/MedicationRequest/${id}`);
        // What CÚER keeps: the signed message's content, the prescriber being the CÚER user.
        const stored = cuer.sim.prescriptions.get(id)! as Json;
        assert.equal(stored.Pacient.RID, RID);
        assert.equal([stored.PLP].flat()[0].HVLPReg.Kod, '0013831');
        assert.equal(stored.Predepisujici.Lekar, CUER_USER);
        assert.equal(stored.Predepisujici.ICZ, '72010001');
        const [event] = (await events('ERP-PRESCRIBE')).slice(-1);
        assert.equal(event!.outcome, '0');
        assert.equal(event!.patient_id, ridCx());
        assert.ok((event!.resource.subtype as Json[]).some((s) => s.code === 'ATC_DOC_CREATE'));
      });

      it('reads it back (audited as a read with the patient)', async () => {
        const res = await send('GET', `/MedicationRequest/${id}`);
        assert.equal(res.status, 200);
        assert.equal(res.body.id, id);
        assert.equal(res.body.medicationCodeableConcept.coding[0].code, '0013831');
        assert.equal(res.body.contained[0].identifier[0].value, RID);
        // Dates come back as written, whatever the soap parser makes of xs:date.
        assert.equal(res.body.authoredOn, '2026-12-07');
        assert.equal(res.body.contained[0].birthDate, '1980-04-12');
        assert.equal(res.body.dosageInstruction[0].text, '1 tableta večer');
        const [event] = (await events('ERP-READ')).slice(-1);
        assert.equal(event!.outcome, '0');
        assert.equal(event!.patient_id, ridCx());
      });

      it("lists the patient's prescriptions, by status too", async () => {
        const all = await send('GET', `/MedicationRequest?patient:identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`);
        assert.equal(all.status, 200);
        assert.equal(all.body.resourceType, 'Bundle');
        assert.ok(all.body.entry.some((e: Json) => e.resource.id === id));
        const cancelled = await send('GET', `/MedicationRequest?patient:identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&status=cancelled`);
        assert.equal(cancelled.body.total, 0);
        const [event] = (await events('ERP-SEARCH')).slice(-1);
        assert.equal(event!.patient_id, ridCx());
        const bad = await send('GET', '/MedicationRequest?status=active');
        assert.equal(bad.status, 400);
      });

      it('changes it (ZmenitPredpis, signed)', async () => {
        const res = await send('PUT', `/MedicationRequest/${id}`, medicationRequest({ id, dispenseRequest: { quantity: { value: 2 } } }));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.dispenseRequest.quantity.value, 2);
        assert.equal(Number([(cuer.sim.prescriptions.get(id) as Json).PLP].flat()[0].Mnozstvi), 2);
        assert.equal((await events('ERP-CHANGE')).slice(-1)[0]!.outcome, '0');
      });

      it('dispenses it (ZalozitVydej on the pharmacist service), after which a change is refused: 409 CUER_NEPOVOLENY_STAV', async () => {
        const res = await send('POST', '/MedicationDispense', {
          resourceType: 'MedicationDispense',
          status: 'completed',
          authorizingPrescription: [{ reference: `MedicationRequest/${id}` }],
          medicationCodeableConcept: { coding: [{ system: SUKL_PRODUCT_SYSTEM, code: '0013831' }] },
          quantity: { value: 2 },
          whenHandedOver: '2026-12-08T09:00:00+01:00',
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.authorizingPrescription[0].reference, `MedicationRequest/${id}`);
        assert.equal(res.body.location.identifier.value, '11223344');
        assert.equal((await send('GET', `/MedicationRequest/${id}`)).body.status, 'completed');
        assert.equal((await events('ERP-DISPENSE')).slice(-1)[0]!.patient_id, ridCx());

        const change = await send('PUT', `/MedicationRequest/${id}`, medicationRequest({ id }));
        assert.equal(change.status, 409);
        assert.equal(cuerCode(change.body), 'CUER_NEPOVOLENY_STAV');
        assert.equal(issueOf(change.body).code, 'conflict');
        assert.ok(issueOf(change.body).details.text);
        assert.equal((await events('ERP-CHANGE')).slice(-1)[0]!.outcome, '4');
      });

      it('cancels a prescription with $cancel; a second $cancel is 409', async () => {
        const created = await send('POST', '/MedicationRequest', medicationRequest());
        const cid = created.body.id;
        const res = await send('POST', `/MedicationRequest/${cid}/$cancel`, { resourceType: 'Parameters', parameter: [{ name: 'reason', valueString: 'chybná síla' }] });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.status, 'cancelled');
        assert.equal((cuer.sim.prescriptions.get(cid) as Json).Stav, 'ZRUSENY');
        const again = await send('POST', `/MedicationRequest/${cid}/$cancel`);
        assert.equal(again.status, 409);
        assert.equal(cuerCode(again.body), 'CUER_NEPOVOLENY_STAV');
        const cancelEvents = await events('ERP-CANCEL');
        assert.deepEqual(cancelEvents.slice(-2).map((e) => e.outcome), ['0', '4']);
        assert.equal(cancelEvents.slice(-2)[0]!.patient_id, ridCx());
      });

      it('CUER_NENALEZENO -> 404, CUER_NEPLATNA_DATA -> 422, CUER_NEOPRAVNENY -> 403, each with CÚER\'s code and text', async () => {
        const missing = await send('GET', '/MedicationRequest/AAAAAAAAAAAA');
        assert.equal(missing.status, 404);
        assert.equal(cuerCode(missing.body), 'CUER_NENALEZENO');

        const before = cuer.sim.prescriptions.size;
        const unknown = await send('POST', '/MedicationRequest', medicationRequest({ medicationCodeableConcept: { coding: [{ system: SUKL_PRODUCT_SYSTEM, code: UNKNOWN_PRODUCT }] } }));
        assert.equal(unknown.status, 422);
        assert.equal(cuerCode(unknown.body), 'CUER_NEPLATNA_DATA');
        assert.match(issueOf(unknown.body).details.text, /9999999/);
        assert.equal(cuer.sim.prescriptions.size, before);

        cuer.sim.seedForeign('FOREIGN00001', cuer.sim.prescriptions.get(id)!);
        const foreign = await send('PUT', '/MedicationRequest/FOREIGN00001', medicationRequest({ id: 'FOREIGN00001' }));
        assert.equal(foreign.status, 403);
        assert.equal(cuerCode(foreign.body), 'CUER_NEOPRAVNENY');
      });

      it('CUER_NEDOSTUPNE -> 503 with Retry-After; a read is tried ERECEPT_READ_ATTEMPTS times, a write once', async () => {
        cuer.sim.unavailable = true;
        cuer.sim.unavailableAnswers.length = 0;
        try {
          const res = await send('GET', `/MedicationRequest/${id}`);
          assert.equal(res.status, 503);
          assert.equal(res.headers.get('retry-after'), '17');
          assert.equal(issueOf(res.body).code, 'transient');
          assert.deepEqual(cuer.sim.unavailableAnswers, ['NacistPredpis', 'NacistPredpis']);
          const before = cuer.sim.prescriptions.size;
          const write = await send('POST', '/MedicationRequest', medicationRequest());
          assert.equal(write.status, 503);
          assert.equal(write.headers.get('retry-after'), '17');
          assert.deepEqual(cuer.sim.unavailableAnswers.slice(2), ['ZalozitPredpis']);
          assert.equal(cuer.sim.prescriptions.size, before);
        } finally {
          cuer.sim.unavailable = false;
        }
      });

      it('a request FHIR cannot map is refused before CÚER is asked (422, nothing sent)', async () => {
        const calls = cuer.sim.calls.length;
        const res = await send('POST', '/MedicationRequest', medicationRequest({ subject: { reference: 'Patient/elsewhere' } }));
        assert.equal(res.status, 422);
        assert.equal(cuer.sim.calls.length, calls);
      });

      it('a tampered signature is refused by CÚER (CUER_NEPLATNY_PODPIS, answered as 502); the untampered message passes', async () => {
        const bridge = ctx.gw.erecept!;
        const signer = { cert: cuer.pki.client('signer').cert, key: cuer.pki.client('signer').key };
        const predpis = {
          datumVystaveni: '2026-12-07',
          pacient: { prijmeni: 'Novák', jmena: 'Petr', datumNarozeni: '1970-01-01', rid: RID },
          predepisujici: { lekar: CUER_USER },
          polozky: [{ kod: '0013831', mnozstvi: 1 }],
        };
        const zprava = { idZpravy: randomUUID(), odeslano: new Date().toISOString(), swKlienta: 'test' };
        const signed = signRequest(cuerRequests.zalozitPredpis(zprava, predpis, 'sig-1'), 'sig-1', signer);
        const tampered = signed.replace('<erp:Mnozstvi>1</erp:Mnozstvi>', '<erp:Mnozstvi>9</erp:Mnozstvi>');
        assert.notEqual(tampered, signed);
        const before = cuer.sim.prescriptions.size;
        const err = await bridge.client.send('CUERLekar', 'ZalozitPredpis', tampered).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof CuerFault, String(err));
        assert.equal(err.kod, 'CUER_NEPLATNY_PODPIS');
        const answer = cuerOutcome(err, 17)!;
        assert.equal(answer.status, 502);
        assert.equal(answer.issues[0]!.details?.coding?.[0]?.code, 'CUER_NEPLATNY_PODPIS');
        assert.equal(cuer.sim.prescriptions.size, before);
        // Signed by a certificate CÚER does not hold for this user: refused as well.
        const foreignSigner = signRequest(cuerRequests.zalozitPredpis(zprava, predpis, 'sig-2'), 'sig-2', { cert: cuer.pki.client('workplace').cert, key: cuer.pki.client('workplace').key });
        await assert.rejects(bridge.client.send('CUERLekar', 'ZalozitPredpis', foreignSigner), (e: unknown) => e instanceof CuerFault && e.kod === 'CUER_NEPLATNY_PODPIS');
        await bridge.client.send('CUERLekar', 'ZalozitPredpis', signed);
        assert.equal(cuer.sim.prescriptions.size, before + 1);
      });

      it('wrong Basic credentials or a client certificate CÚER does not trust are refused (CuerRejected -> 502)', async () => {
        const base = ctx.gw.config.erecept!;
        const wrongPassword = new CuerClient({ ...base, password: new Secret(Buffer.from('nope')) });
        const stranger = new CuerClient({ ...base, tls: { ...base.tls, cert: cuer.pki.stranger.cert, key: new Secret(cuer.pki.stranger.key) }, readAttempts: 1 });
        const read = (c: CuerClient) => c.read('CUERLekar', 'NacistPredpis', cuerRequests.nacistPredpis({ idZpravy: randomUUID(), odeslano: new Date().toISOString(), swKlienta: 't' }, id));
        try {
          await assert.rejects(read(wrongPassword), (e: unknown) => e instanceof CuerRejected);
          // Under TLS 1.3 the server's refusal of the certificate arrives after the client's handshake is done,
          // often as a plain connection reset: the client cannot tell it from a network failure (503).
          await assert.rejects(read(stranger), (e: unknown) => e instanceof CuerRejected || e instanceof CuerUnavailable);
          assert.equal(cuerOutcome(new CuerRejected(401), 17)!.status, 502);
        } finally {
          wrongPassword.close();
          stranger.close();
        }
      });

      it('CÚER down: 503 with Retry-After, nothing half-done, the failure audited; back up: served again', async () => {
        const before = cuer.sim.prescriptions.size;
        const calls = cuer.sim.calls.length;
        const port = cuer.sim.port;
        await cuer.sim.stop();
        try {
          const create = await send('POST', '/MedicationRequest', medicationRequest());
          assert.equal(create.status, 503);
          assert.equal(create.headers.get('retry-after'), '17');
          const read = await send('GET', `/MedicationRequest/${id}`);
          assert.equal(read.status, 503);
          const [event] = (await events('ERP-PRESCRIBE')).slice(-1);
          assert.notEqual(event!.outcome, '0');
          assert.equal(event!.patient_id, ridCx());
        } finally {
          await cuer.sim.start(port);
        }
        assert.equal(cuer.sim.prescriptions.size, before);
        assert.equal(cuer.sim.calls.length, calls);
        assert.equal((await send('GET', `/MedicationRequest/${id}`)).status, 200);
      });

      it('a write CÚER never answers is 504 saying it may have been done (no Retry-After); a read that times out is retried, then 503', async () => {
        const before = cuer.sim.prescriptions.size;
        cuer.sim.stallMs = 6000;
        try {
          const write = await send('POST', '/MedicationRequest', medicationRequest());
          assert.equal(write.status, 504);
          assert.equal(write.headers.get('retry-after'), null);
          assert.equal(issueOf(write.body).code, 'timeout');
          assert.match(issueOf(write.body).diagnostics, /may have been made/);
          const read = await send('GET', `/MedicationRequest/${id}`);
          assert.equal(read.status, 503);
          assert.equal(read.headers.get('retry-after'), '17');
        } finally {
          cuer.sim.stallMs = 0;
        }
        // The unanswered write did land in CÚER, which is why it is not answered as "not done".
        for (let i = 0; i < 100 && cuer.sim.prescriptions.size === before; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(cuer.sim.prescriptions.size, before + 1);
      });

      it('every ERP-* audit event declares only the audit profiles it meets (plain BALP, none of MHD\'s or PIXm\'s)', async () => {
        const rows = (await ctx.gw.db.query<{ resource: AuditEvent }>('SELECT resource FROM audit_events')).rows.filter((r) => r.resource.subtype?.some((s) => s.code?.startsWith('ERP-')));
        assert.ok(rows.length >= 10);
        for (const { resource } of rows) {
          assert.deepEqual(declaredProfileViolations(resource), []);
          assert.ok(!(resource.meta?.profile ?? []).some((p) => /MHD|PIXm/.test(p)), JSON.stringify(resource.meta));
        }
        assert.ok(rows.some((r) => (r.resource.meta?.profile ?? []).some((p) => p.endsWith('IHE.BasicAudit.PatientRead'))));
      });

      it('the logs and config never show the CÚER password or keys', () => {
        const shown = JSON.stringify(ctx.gw.config.erecept) + inspect(ctx.gw.config.erecept, { depth: 5 });
        assert.ok(!shown.includes(cuer.password));
        assert.ok(!shown.includes('PRIVATE KEY'));
      });
    },
    () => cuer.env(),
    {},
    ['postgres'],
  );
});

describeEachStoreOverHttp(
  'eRecept bridge not configured',
  (ctx) => {
    it('answers 501 OperationOutcome on its routes', async () => {
      const res = await fetch(`${ctx.fhir}/MedicationRequest/AAAAAAAAAAAA`, { headers: { Accept: 'application/fhir+json' } });
      assert.equal(res.status, 501);
      const body = (await res.json()) as Json;
      assert.equal(body.resourceType, 'OperationOutcome');
      assert.equal(body.issue[0].code, 'not-supported');
    });
  },
  {},
  {},
  ['postgres'],
);
