import assert from 'node:assert/strict';
import { AuditTrail } from '../../src/audit/audit-trail';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import { auditRecords } from '../../src/audit/outbox';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { auditTables } from '../../src/store/sql/audit/sql-audit-events';
import { tableRowsOf } from '../../src/store/sql/store-handles';
import { insertTables } from '../../src/store/sql/table-rows';
import { describeEachStore } from '../support/databases';
import { documentEntry, patientCx, submission } from '../support/metadata-builders';
import { countRows, testRegistry } from '../support/registry-fixture';
import { CLINICIAN, CONTEXT, createInput } from './support/fixtures';
import { sqlAuditEvents, storeEvents } from './support/stores';

describeEachStore('audit outbox rows', (ctx) => {
  const trail = () => new AuditTrail(CONTEXT, ['arr-tls', 'arr-fhir'], sqlAuditEvents(ctx.db));

  async function eventRow(id: string) {
    const r = await ctx.db.query<{ recorded: Date; patient_id: string | null; type_code: string; dicom_type: string; subtypes: string[]; action: string; outcome: string; resource: unknown }>(
      'SELECT recorded, patient_id, type_code, dicom_type, subtypes, action, outcome, resource FROM audit_events WHERE id = $1',
      [id],
    );
    return r.rows[0];
  }

  async function outboxOf(id: string) {
    const r = await ctx.db.query<{ destination: string; status: string; attempts: number }>('SELECT destination, status, attempts FROM audit_outbox WHERE event_id = $1 ORDER BY destination', [id]);
    return r.rows;
  }

  it('a record stores the event with its search columns and one pending outbox row per destination', async () => {
    const patient = patientCx();
    const event = await trail().record({ transaction: 'ITI-68', outcome: '0', principal: CLINICIAN, patientId: patient, documents: [{ uniqueId: '1.2.3.4' }] });
    const row = await eventRow(event.id);
    assert.ok(row);
    assert.equal(new Date(row.recorded).toISOString(), event.recorded);
    assert.equal(row.patient_id, patient, 'the registry CX, so a patient principal scopes with the same string');
    // BALP's type on the event; the DICOM event ID of its syslog copy beside it, for ITI-81 type searches.
    assert.equal(row.type_code, 'http://terminology.hl7.org/CodeSystem/audit-event-type|rest');
    assert.equal(row.dicom_type, 'http://dicom.nema.org/resources/ontology/DCM|110106');
    assert.deepEqual(row.subtypes, [
      'read',
      'http://hl7.org/fhir/restful-interaction|read',
      'ITI-68',
      'urn:ihe:event-type-code|ITI-68',
      'ATC_DOC_READ',
      'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs|ATC_DOC_READ',
    ]);
    assert.equal(row.action, 'R');
    assert.equal(row.outcome, '0');
    assert.deepEqual(row.resource, event);
    assert.deepEqual(await outboxOf(event.id), [
      { destination: 'arr-fhir', status: 'pending', attempts: 0 },
      { destination: 'arr-tls', status: 'pending', attempts: 0 },
    ]);
  });

  it('an event without a patient, and events stored without forwarding', async () => {
    const event = buildAuditEvent({ transaction: 'ITI-18', outcome: '4', principal: CLINICIAN, query: { text: 'q' } }, CONTEXT);
    await trail().receive(event);
    assert.equal((await eventRow(event.id))?.patient_id, null);
    assert.deepEqual(await outboxOf(event.id), []);
  });

  it('a submission and its audit record commit in the same statement (registry extraRows)', async () => {
    const registry = testRegistry(ctx.db);
    const patient = patientCx();
    await registry.registerPatient(patient);
    const doc = documentEntry(patient);
    const s = submission(patient, { documents: [doc] });
    let auditId = '';
    const result = await registry.submit(s, SYSTEM_PRINCIPAL, {
      extraRows: (registered) => {
        const rows = trail().rows(createInput({ patientId: patient, submissionSet: { uniqueId: registered.submissionSet.uniqueId, entryUuid: registered.submissionSet.entryUuid }, documents: registered.documents.map((d) => ({ uniqueId: d.uniqueId, entryUuid: d.entryUuid })) }));
        auditId = String(tableRowsOf(rows)[0]!.rows[0]!.id);
        return rows;
      },
    });
    assert.equal(result.status, 'Success', JSON.stringify(result.errors));
    const row = await eventRow(auditId);
    assert.equal(row?.patient_id, patient);
    assert.equal((await outboxOf(auditId)).length, 2);
  });

  it('a statement that fails writes neither the change nor its audit record', async () => {
    const event = buildAuditEvent(createInput(), CONTEXT);
    await storeEvents(ctx.db, event, []);
    const before = await countRows(ctx.db, 'audit_events');
    const fresh = buildAuditEvent(createInput(), CONTEXT);
    // The fresh event's rows ride with a duplicate key: the whole statement must roll back.
    await assert.rejects(insertTables(ctx.db, [...auditTables(auditRecords(fresh, { destinations: ['arr-tls'] })), ...auditTables(auditRecords(event, { destinations: [] })).slice(0, 1)]));
    assert.equal(await countRows(ctx.db, 'audit_events'), before);
    assert.equal(await eventRow(fresh.id), undefined);
    assert.deepEqual(await outboxOf(fresh.id), []);
  });

  it('many events in one statement', async () => {
    const list = Array.from({ length: 50 }, () => buildAuditEvent(createInput(), CONTEXT));
    await storeEvents(ctx.db, list, ['arr-tls']);
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_outbox WHERE event_id = ANY($1::text[])', [list.map((e) => e.id)]);
    assert.equal(r.rows[0]!.n, 50);
  });
});
