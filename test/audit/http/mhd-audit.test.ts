// ATNA over the MHD endpoint, against the whole gateway over HTTP: every MHD transaction
// leaves its AuditEvent in audit_events (a success, a refusal), the ITI-65 record commits
// with its submission, other actors' events are stored (ITI-20), and ITI-81 finds them by
// date and patient, pages, keeps a patient-context user to its own events, and is itself
// audited as ATC_LOG_READ.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { formatCx } from '../../../src/domain/hl7v2';
import { createLogger } from '../../../src/logger';
import { mhdRoutes } from '../../../src/fhir/routes';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { RID, RID_SYSTEM, feedPatient, freshBundle, request, type Json } from '../../fhir/http/support';
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import { declaredProfileViolations } from '../support/audit-profile-checks';

const CZ_ATC = 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST = 'http://terminology.hl7.org/CodeSystem/audit-event-type|rest';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
const PIXM = 'https://profiles.ihe.net/ITI/PIXm/StructureDefinition';
const OTHER_RID = '8001011236';

interface EventRow {
  id: string;
  patient_id: string | null;
  type_code: string;
  dicom_type: string;
  action: string | null;
  outcome: string;
  resource: Json;
}

/** An AuditEvent as another actor (a Document Consumer) would send it over ITI-20. */
function receivedEvent(rid: string): Json {
  return {
    resourceType: 'AuditEvent',
    id: 'client-chosen',
    type: { system: DCM, code: '110112', display: 'Query' },
    subtype: [{ system: 'urn:ihe:event-type-code', code: 'ITI-67' }],
    action: 'E',
    recorded: new Date().toISOString(),
    outcome: '0',
    agent: [{ who: { identifier: { value: 'consumer-app' } }, requestor: true, network: { address: '10.0.0.7', type: '2' } }],
    source: { observer: { display: 'other-consumer' } },
    entity: [{ what: { identifier: { system: RID_SYSTEM, value: rid } }, type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1' }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1' } }],
  };
}

describeEachStoreOverHttp('audit/http MHD transactions and ITI-20/81', (ctx) => {
  let cx: string;
  let otherCx: string;
  const since = new Date(Date.now() - 60_000).toISOString();
  const until = () => new Date(Date.now() + 60_000).toISOString();
  let patientServer: http.Server;
  let patientFhir: string;

  const events = async (subtype: string): Promise<EventRow[]> =>
    (await ctx.gw.db.query<EventRow>(`SELECT id, patient_id, type_code, dicom_type, action, outcome, resource FROM audit_events WHERE $1 = ANY(subtypes) ORDER BY recorded, id`, [subtype])).rows;
  const count = async (sql: string, params: unknown[] = []) => (await ctx.gw.db.query<{ n: number }>(sql, params)).rows[0]!.n;
  /** The one event of `transaction` that `act` added. */
  async function oneNewEvent(transaction: string, act: () => Promise<unknown>): Promise<EventRow> {
    const before = new Set((await events(transaction)).map((e) => e.id));
    await act();
    const added = (await events(transaction)).filter((e) => !before.has(e.id));
    assert.equal(added.length, 1, `one ${transaction} event`);
    return added[0]!;
  }
  /** The profiles the stored event declares, each met by it (support/audit-profile-checks.ts). */
  const declared = (e: EventRow) => {
    assert.deepEqual(declaredProfileViolations(e.resource as AuditEvent), []);
    return (e.resource.meta as Json | undefined)?.profile as string[] | undefined;
  };
  const atcCodes = (e: EventRow) => (e.resource.subtype as Json[]).filter((s) => s.system === CZ_ATC).map((s) => s.code);
  const search = (query: string, base = ctx.fhir, headers: Record<string, string> = {}) => request(`${base}/AuditEvent?${query}`, { headers });

  before(async () => {
    const authority = ctx.gw.config.profile.patientIdSystems[RID_SYSTEM]!;
    cx = formatCx({ id: RID, authority });
    otherCx = formatCx({ id: OTHER_RID, authority });
    // A patient-context user, as the security layer would establish it: the MHD routes
    // behind a test-only principal naming the patient (the real gateway has no such header).
    const app = new Koa();
    app.use(async (koa, next) => {
      koa.state.principal = { subject: 'patient-portal-user', address: koa.ip, patientId: koa.get('x-test-patient') };
      await next();
    });
    app.use(mhdRoutes(ctx.gw, createLogger('silent')));
    patientServer = http.createServer(app.callback());
    await new Promise<void>((resolve) => patientServer.listen(0, '127.0.0.1', resolve));
    patientFhir = `http://127.0.0.1:${(patientServer.address() as AddressInfo).port}/fhir`;
  });
  after(async () => {
    patientServer?.closeAllConnections();
    await new Promise((resolve) => patientServer?.close(resolve));
  });

  let bundle: Json;
  let attachmentUrl: string;

  it('ITI-104: the patient feed is audited as PIXm\'s create, then update (BALP rest; Patient Record in its DICOM copy)', async () => {
    const e = await oneNewEvent('ITI-104', async () => assert.equal((await feedPatient(ctx.fhir)).status, 201));
    assert.deepEqual([e.type_code, e.dicom_type, e.action, e.outcome, e.patient_id], [REST, `${DCM}|110110`, 'C', '0', cx]);
    assert.deepEqual(declared(e), [`${PIXM}/IHE.PIXm.Feed.Create.Audit.Manager`, `${BALP}/IHE.BasicAudit.PatientCreate`]);
    const again = await oneNewEvent('ITI-104', async () => assert.equal((await feedPatient(ctx.fhir)).status, 200));
    assert.deepEqual([again.action, again.outcome], ['U', '0']);
    assert.deepEqual(declared(again), [`${PIXM}/IHE.PIXm.Feed.Update.Audit.Manager`, `${BALP}/IHE.BasicAudit.PatientUpdate`]);
  });

  it('ITI-65: one Import event with ATC_DOC_CREATE, committed with the submission', async () => {
    bundle = freshBundle('comprehensive-bundle.json');
    let reply: Json = {};
    const e = await oneNewEvent('ITI-65', async () => {
      reply = await request(ctx.fhir, { method: 'POST', json: bundle });
      assert.equal(reply.status, 200, reply.text);
    });
    assert.deepEqual([e.type_code, e.action, e.outcome, e.patient_id], [`${DCM}|110107`, 'C', '0', cx]);
    assert.deepEqual(atcCodes(e), ['ATC_DOC_CREATE']);
    assert.deepEqual(declared(e), [`${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`]);
    const ssUniqueId = bundle.entry[0].resource.identifier.find((i: Json) => i.use === 'usual').value;
    assert.ok((e.resource.entity as Json[]).some((en) => en.what?.identifier?.value === ssUniqueId), 'the submission set is an entity');
    // Every registered submission has exactly one successful ITI-65 record, and no record lacks its submission.
    const successes = await count(`SELECT count(*)::int AS n FROM audit_events WHERE 'ITI-65' = ANY(subtypes) AND outcome = '0'`);
    assert.equal(successes, await count('SELECT count(*)::int AS n FROM submission_sets'));
    const dr = await request(`${ctx.fhir}/${reply.resource.entry[1].response.location}`);
    attachmentUrl = dr.resource!.content[0].attachment.url;
  });

  it('ITI-67: the search (GET and POST) is audited per MHD on BALP PatientQuery, with ATC_DOC_SEARCH and the query string', async () => {
    const query = `patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&status=current`;
    const e = await oneNewEvent('ITI-67', async () => assert.equal((await request(`${ctx.fhir}/DocumentReference?${query}`)).status, 200));
    assert.deepEqual([e.type_code, e.dicom_type, e.action, e.outcome, e.patient_id], [REST, `${DCM}|110112`, 'E', '0', cx]);
    assert.deepEqual(atcCodes(e), ['ATC_DOC_SEARCH']);
    assert.deepEqual(declared(e), [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    const queryEntity = (e.resource.entity as Json[]).find((en) => en.query);
    assert.equal(Buffer.from(queryEntity!.query, 'base64').toString('utf8'), query);
    const byPost = await oneNewEvent('ITI-67', async () => {
      const reply = await request(`${ctx.fhir}/DocumentReference/_search`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: query });
      assert.equal(reply.status, 200, reply.text);
    });
    assert.deepEqual(declared(byPost), [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
  });

  it('ITI-66 searches per MHD; a read by id of a DocumentReference is BALP PatientRead of the resource', async () => {
    const lists = await oneNewEvent('ITI-66', async () => {
      const reply = await request(`${ctx.fhir}/List?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&code=submissionset&status=current`);
      assert.equal(reply.status, 200, reply.text);
    });
    assert.deepEqual(declared(lists), [`${MHD}/IHE.MHD.FindDocumentLists.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    const docRef = (await request(`${ctx.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}&status=current`)).resource!.entry[0].resource;
    const read = await oneNewEvent('ITI-67', async () => assert.equal((await request(`${ctx.fhir}/DocumentReference/${docRef.id}`)).status, 200));
    assert.deepEqual([read.type_code, read.action, read.patient_id], [REST, 'R', cx]);
    assert.deepEqual(declared(read), [`${BALP}/IHE.BasicAudit.PatientRead`]);
    assert.ok((read.resource.entity as Json[]).some((en) => en.what?.reference === `DocumentReference/${docRef.id}`), 'the resource read is the data entity');
    assert.equal((read.resource.entity as Json[]).some((en) => en.query !== undefined), false, 'a read has no query entity');
  });

  it('ITI-68: the retrieve is audited as an Export with ATC_DOC_READ and the document', async () => {
    const e = await oneNewEvent('ITI-68', async () => assert.equal((await fetch(attachmentUrl).then(async (r) => (await r.arrayBuffer(), r.status))), 200));
    assert.deepEqual([e.type_code, e.dicom_type, e.action, e.outcome, e.patient_id], [REST, `${DCM}|110106`, 'R', '0', cx]);
    assert.deepEqual(atcCodes(e), ['ATC_DOC_READ']);
    assert.deepEqual(declared(e), [`${MHD}/IHE.MHD.RetrieveDocument.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientRead`]);
    const uniqueId = decodeURIComponent(new URL(attachmentUrl).pathname.split('/').pop()!);
    assert.ok((e.resource.entity as Json[]).some((en) => String(en.what?.identifier?.value).endsWith(uniqueId)), 'the document is an entity');
  });

  it('a refused ITI-65 is audited with a failure outcome and stores nothing', async () => {
    const submissions = await count('SELECT count(*)::int AS n FROM submission_sets');
    const e = await oneNewEvent('ITI-65', async () => assert.equal((await request(ctx.fhir, { method: 'POST', json: bundle })).status, 409));
    assert.deepEqual([e.type_code, e.action, e.outcome, e.patient_id], [`${DCM}|110107`, 'C', '4', cx]);
    assert.deepEqual(atcCodes(e), ['ATC_DOC_CREATE']);
    assert.match(String(e.resource.outcomeDesc), /./);
    assert.equal(await count('SELECT count(*)::int AS n FROM submission_sets'), submissions);
  });

  it('a refused ITI-68 (unknown document) is audited too', async () => {
    const e = await oneNewEvent('ITI-68', async () => assert.equal((await request(`${ctx.fhir}/Binary/1.2.3.4.404`)).status, 404));
    assert.equal(e.outcome, '4');
    assert.equal(declared(e), undefined, 'BALP profiles are of successes');
    assert.equal(e.type_code, REST, 'a failure keeps the shape');
  });

  let receivedId: string;

  it('ITI-20: POST /fhir/AuditEvent stores another actor\'s event (JSON and XML) with a Location', async () => {
    const reply = await request(`${ctx.fhir}/AuditEvent`, { method: 'POST', json: receivedEvent(RID) });
    assert.equal(reply.status, 201, reply.text);
    receivedId = reply.resource!.id;
    assert.notEqual(receivedId, 'client-chosen');
    assert.equal(reply.headers.get('location'), `${ctx.fhir}/AuditEvent/${receivedId}`);
    const row = await ctx.gw.db.query<EventRow>('SELECT patient_id, outcome FROM audit_events WHERE id = $1', [receivedId]);
    assert.deepEqual([row.rows[0]?.patient_id, row.rows[0]?.outcome], [cx, '0']);
    const xml = await request(`${ctx.fhir}/AuditEvent`, { method: 'POST', xml: receivedEvent(OTHER_RID) });
    assert.equal(xml.status, 201, xml.text);
    assert.equal(await count('SELECT count(*)::int AS n FROM audit_events WHERE patient_id = $1', [otherCx]), 1);
    const invalid = await request(`${ctx.fhir}/AuditEvent`, { method: 'POST', json: { resourceType: 'AuditEvent', recorded: 'never' } });
    assert.equal(invalid.status, 400);
  });

  it('ITI-81: date + patient.identifier finds the patient\'s events, newest first, and pages', async () => {
    const patient = encodeURIComponent(`${RID_SYSTEM}|${RID}`);
    const base = `date=ge${encodeURIComponent(since)}&date=le${encodeURIComponent(until())}&patient.identifier=${patient}`;
    const expected = await count(`SELECT count(*)::int AS n FROM audit_events WHERE patient_id = $1 AND recorded >= $2`, [cx, since]);
    const all = await search(base);
    assert.equal(all.status, 200, all.text);
    assert.equal(all.resource!.type, 'searchset');
    assert.equal(all.resource!.total, expected);
    assert.ok(expected >= 7, `ITI-104, 65 x2, 67, 68, the received event, ... (${expected})`);
    assert.ok(all.resource!.entry.some((en: Json) => en.resource.id === receivedId));
    const recorded = all.resource!.entry.map((en: Json) => en.resource.recorded);
    assert.deepEqual(recorded, [...recorded].sort().reverse(), 'newest first');

    // Each page read is itself audited about this patient: the links pin the end of the
    // search (date=lt<first page's time>), so the pages neither shift nor grow.
    const seen: string[] = [];
    let pin: string | undefined;
    let next: string | undefined = `${ctx.fhir}/AuditEvent?${base}&_count=2`;
    while (next) {
      const page = await request(next);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.resource!.entry.length <= 2);
      seen.push(...page.resource!.entry.map((en: Json) => en.resource.id));
      next = page.resource!.link.find((l: Json) => l.relation === 'next')?.url;
      pin ??= new URL(next!).searchParams.getAll('date').find((d) => d.startsWith('lt'));
    }
    const pinned = await search(`${base}&date=${encodeURIComponent(pin!)}&_count=1000`);
    assert.equal(pinned.resource!.total, expected + 1, 'what the paging saw: the events before it and the first search\'s own record');
    assert.deepEqual(seen, pinned.resource!.entry.map((en: Json) => en.resource.id));

    // The same by POST _search; and narrowed by subtype and outcome: the refused ITI-65 only.
    const byPost = await request(`${ctx.fhir}/AuditEvent/_search`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${base}&subtype=ATC_DOC_CREATE&outcome=4` });
    assert.equal(byPost.status, 200, byPost.text);
    assert.equal(byPost.resource!.total, 1);
    assert.equal(byPost.resource!.entry[0].resource.outcome, '4');
    const byType = await search(`${base}&type=${encodeURIComponent(`${DCM}|110106`)}&entity-role=3`);
    assert.equal(byType.resource!.total, 1, 'the ITI-68 success: Export (in its DICOM copy) with a Report entity');
    // type= finds an event by its FHIR type or by its DICOM copy's event ID: the gateway's BALP
    // ITI-67 records and the DICOM-typed one received (as every event recorded before BALP) alike.
    const queries = await search(`${base}&type=${encodeURIComponent(`${DCM}|110112`)}&subtype=ITI-67&_count=100`);
    const types = queries.resource!.entry.map((en: Json) => en.resource.type.code as string);
    assert.ok(types.includes('rest') && types.includes('110112'), types.join());
    const rest = await search(`${base}&type=rest&subtype=ITI-67&_count=100`);
    assert.ok(rest.resource!.total >= 3 && rest.resource!.entry.every((en: Json) => en.resource.type.code === 'rest'));
    assert.equal(rest.resource!.total, queries.resource!.total - 1, 'all but the received DICOM-typed one');
    const byAgent = await search(`date=ge${encodeURIComponent(since)}&agent=consumer-app&address=10.0.0.7`);
    assert.equal(byAgent.resource!.total, 2, 'both received events');
  });

  it('ITI-81: date is required; unknown parameters fail under handling=strict and are reported otherwise', async () => {
    const missing = await search(`patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`);
    assert.equal(missing.status, 400);
    assert.equal(missing.resource!.resourceType, 'OperationOutcome');
    const strict = await search(`date=ge2020&color=blue`, ctx.fhir, { Prefer: 'handling=strict' });
    assert.equal(strict.status, 400);
    const lenient = await search(`date=ge2020&color=blue&_count=1`);
    assert.equal(lenient.status, 200);
    const outcome = lenient.resource!.entry.find((en: Json) => en.search.mode === 'outcome');
    assert.match(outcome.resource.issue[0].diagnostics, /color/);
  });

  it('ITI-81: a patient-context user sees only events about itself', async () => {
    const asPatient = { 'x-test-patient': cx };
    const own = await search(`date=ge${encodeURIComponent(since)}&_count=1000`, patientFhir, asPatient);
    assert.equal(own.status, 200, own.text);
    assert.ok(own.resource!.total > 0);
    const other = await count('SELECT count(*)::int AS n FROM audit_events WHERE patient_id IS DISTINCT FROM $1 AND recorded >= $2', [cx, since]);
    assert.ok(other > 0, 'there are events of others to hide');
    assert.ok(own.resource!.entry.every((en: Json) => (en.resource.entity as Json[] | undefined)?.some((e) => e.what?.identifier?.value === RID)));
    const asked = await search(`date=ge${encodeURIComponent(since)}&patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${OTHER_RID}`)}`, patientFhir, asPatient);
    assert.equal(asked.resource!.total, 0, "another patient's events are not found even when asked for");
    const otherId = (await ctx.gw.db.query<{ id: string }>('SELECT id FROM audit_events WHERE patient_id = $1', [otherCx])).rows[0]!.id;
    assert.equal((await request(`${patientFhir}/AuditEvent/${otherId}`, { headers: asPatient })).status, 404);
    assert.equal((await request(`${ctx.fhir}/AuditEvent/${otherId}`)).status, 200);
  });

  it('each ITI-81 read is itself audited as ATC_LOG_READ', async () => {
    const e = await oneNewEvent('ITI-81', async () => {
      const reply = await search(`date=ge${encodeURIComponent(since)}&patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`);
      assert.equal(reply.status, 200);
    });
    assert.deepEqual([e.type_code, e.action, e.outcome, e.patient_id], [`${DCM}|110112`, 'E', '0', cx]);
    assert.deepEqual(atcCodes(e), ['ATC_LOG_READ']);
    assert.ok((await events('ATC_LOG_READ')).length >= 1);
  });
});
