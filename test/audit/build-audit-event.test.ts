import assert from 'node:assert/strict';
import { Fhir } from 'fhir';
import { outcomeOfHttpStatus, outcomeOfXdsStatus, type AuditInput } from '../../src/audit/audit-input';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import type { AuditEvent, AuditEventAgent, AuditEventEntity } from '../../src/audit/fhir-audit-event';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { TEST_AUTHORITY } from '../support/metadata-builders';
import { CLINICIAN, CONTEXT, createInput, RID } from './support/fixtures';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' };
const ATC = 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs';
const PATIENT = `4567891235^^^&${TEST_AUTHORITY}&ISO`;

function agentOfType(event: AuditEvent, code: string): AuditEventAgent {
  const a = event.agent.find((x) => x.type?.coding?.some((c) => c.code === code));
  assert.ok(a, `agent of type ${code}`);
  return a;
}

function entityOfRole(event: AuditEvent, role: string): AuditEventEntity[] {
  return (event.entity ?? []).filter((e) => e.role?.code === role);
}

describe('audit event builder (BALP AuditEvent)', () => {
  it('a create (ITI-65 served): Import/C, ITI-65 + ATC_DOC_CREATE, user, client, gateway, patient, submission set', () => {
    const recorded = new Date('2026-03-01T10:00:00.123Z');
    const e = buildAuditEvent(createInput({ patientId: PATIENT, recorded, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' }), CONTEXT);

    assert.equal(e.resourceType, 'AuditEvent');
    assert.match(e.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(e.type, { system: DCM, code: '110107', display: 'Import' });
    assert.deepEqual(e.subtype, [
      { system: 'urn:ihe:event-type-code', code: 'ITI-65', display: 'Provide Document Bundle' },
      { system: ATC, code: 'ATC_DOC_CREATE', display: 'Document upload' },
    ]);
    assert.equal(e.action, 'C');
    assert.equal(e.recorded, '2026-03-01T10:00:00.123Z');
    assert.equal(e.outcome, '0');
    assert.equal(e.outcomeDesc, undefined);
    assert.deepEqual(e.purposeOfEvent, [{ coding: [{ system: 'https://hl7.cz/fhir/hie/CodeSystem/cz-purposeOfUse-cs', code: 'NORM', display: 'Normální přístup' }] }]);

    const user = agentOfType(e, 'RESP');
    assert.equal(user.requestor, true);
    assert.deepEqual(user.who, { identifier: { value: 'krzp:2000000090092' }, display: 'MUDr. Mračena Mrakomorová' });
    assert.equal(user.name, 'MUDr. Mračena Mrakomorová');
    assert.deepEqual(user.role, [{ coding: [{ system: 'https://hl7.cz/fhir/hie/CodeSystem/cz-participants-cs', code: 'HCP', display: 'Healthcare professional' }] }]);
    assert.deepEqual(user.purposeOfUse, e.purposeOfEvent);
    assert.equal(user.network, undefined, 'humans are not network nodes (BALP)');

    const org = agentOfType(e, 'PROV');
    assert.deepEqual(org.who, { identifier: { value: 'icz:12345678' }, display: 'Nemocnice Test' });
    assert.equal(org.requestor, false);

    const client = agentOfType(e, '110153');
    assert.deepEqual(client.who, { identifier: { value: 'his-client-1' } });
    assert.deepEqual(client.network, { address: '192.0.2.10', type: '2' });
    assert.equal(client.requestor, false);

    const gateway = agentOfType(e, '110152');
    assert.deepEqual(gateway.who, e.source.observer, 'MHD: the Document Recipient is the audit source');
    assert.deepEqual(gateway.network, { address: 'https://gw.test.example/fhir', type: '5' });

    assert.deepEqual(e.source, {
      site: '1.2.203.999.7',
      observer: { identifier: { value: 'hie-gateway@test-host' } },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    });

    const [patient] = entityOfRole(e, '1');
    assert.deepEqual(patient, {
      what: { identifier: { system: RID, value: '4567891235' } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
    const [ss] = entityOfRole(e, '20');
    assert.deepEqual(ss!.what, { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.203.999.1.1' } });
    assert.equal(ss!.type?.code, '2');
    assert.equal(entityOfRole(e, '3').length, 0, 'the submission set stands for its documents (MHD ITI-65 audit profile)');
    const [trace] = entityOfRole(e, '26');
    assert.equal(trace!.what?.identifier?.value, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
    assert.equal(trace!.type?.code, '4');
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e, 'plain JSON: survives JSONB and the job queue');
  });

  it('a read (ITI-68 served): Export/R, ATC_DOC_READ, the document with its reference', () => {
    const e = buildAuditEvent(
      {
        transaction: 'ITI-68',
        outcome: '0',
        principal: CLINICIAN,
        patientId: PATIENT,
        documents: [{ uniqueId: '1.2.203.999.2.1', repositoryUniqueId: '1.2.203.999.3', homeCommunityId: 'urn:oid:1.2.203.999', reference: 'https://gw.test.example/fhir/Binary/abc', title: 'Propouštěcí zpráva', typeCode: { code: '18842-5', scheme: '2.16.840.1.113883.6.1', display: 'Discharge summary' } }],
      },
      CONTEXT,
    );
    assert.deepEqual(e.type, REST);
    assert.equal(e.action, 'R');
    assert.deepEqual(e.subtype?.map((s) => s.code), ['read', 'ITI-68', 'ATC_DOC_READ']);
    const [doc] = entityOfRole(e, '3');
    assert.deepEqual(doc!.what, { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.203.999.2.1' }, reference: 'https://gw.test.example/fhir/Binary/abc' });
    assert.deepEqual(doc!.detail, [
      { type: 'Repository Unique Id', valueString: '1.2.203.999.3' },
      { type: 'ihe:homeCommunityID', valueString: 'urn:oid:1.2.203.999' },
      { type: 'DocumentType', valueString: 'Discharge summary' },
      { type: 'Title', valueString: 'Propouštěcí zpráva' },
    ]);
    assert.equal(entityOfRole(e, '20').length, 0);
    // BALP read: the server is the source of the data, the client its destination.
    assert.deepEqual(agentOfType(e, '110153').who, e.source.observer);
    assert.deepEqual(agentOfType(e, '110153').network, { address: 'gw.test.example', type: '1' }, 'no endpoint given: the host name');
    assert.deepEqual(agentOfType(e, '110152').who, { identifier: { value: 'his-client-1' } });
  });

  it('a search (ITI-67): rest/E, search-type + ITI-67 + ATC_DOC_SEARCH, query parameters base64 in entity.query', () => {
    const query = 'patient.identifier=https://ncez.mzcr.cz/fhir/sid/rid|4567891235&status=current';
    const e = buildAuditEvent({ transaction: 'ITI-67', outcome: '0', principal: CLINICIAN, patientId: PATIENT, query: { text: query } }, CONTEXT);
    assert.deepEqual(e.type, REST);
    assert.equal(e.action, 'E');
    assert.deepEqual(e.subtype?.map((s) => s.code), ['search-type', 'ITI-67', 'ATC_DOC_SEARCH']);
    const [q] = entityOfRole(e, '24');
    assert.equal(Buffer.from(q!.query!, 'base64').toString('utf8'), query);
    assert.equal(q!.type?.code, '2');
    assert.equal(q!.what, undefined);
    assert.equal(q!.detail, undefined, 'BALP: the query entity holds the query only');
    assert.equal(entityOfRole(e, '1').length, 1);
  });

  it('a stored query (ITI-18) names the query id; ITI-81 is ATC_LOG_READ', () => {
    const e = buildAuditEvent({ transaction: 'ITI-18', outcome: '0', principal: CLINICIAN, query: { text: '<AdhocQueryRequest/>', storedQueryId: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d', homeCommunityId: 'urn:oid:1.2.3' } }, CONTEXT);
    const [q] = entityOfRole(e, '24');
    assert.deepEqual(q!.what, { identifier: { value: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d' } });
    assert.deepEqual(q!.detail, [{ type: 'QueryEncoding', valueString: 'UTF-8' }, { type: 'ihe:homeCommunityID', valueString: 'urn:oid:1.2.3' }]);
    const log = buildAuditEvent({ transaction: 'ITI-81', outcome: '0', principal: { subject: 'patient-1', patientId: PATIENT }, patientId: PATIENT, query: { text: 'date=ge2026-01-01' } }, CONTEXT);
    assert.deepEqual(log.subtype?.[1], { system: ATC, code: 'ATC_LOG_READ', display: 'Accessing the Patient Audit Record Repository' });
  });

  it('a failure (ITI-41 rejected): outcome 8 with its description, still with patient and submission set', () => {
    const e = buildAuditEvent(
      createInput({ transaction: 'ITI-41', outcome: outcomeOfXdsStatus('Failure'), outcomeDesc: 'XDSUnknownPatientId: patient 123 is not known', patientId: PATIENT }),
      CONTEXT,
    );
    assert.equal(e.outcome, '8');
    assert.equal(e.outcomeDesc, 'XDSUnknownPatientId: patient 123 is not known');
    assert.equal(e.type.code, '110107');
    assert.equal(e.action, 'C');
    assert.deepEqual(e.subtype?.map((s) => s.code), ['ITI-41', 'ATC_DOC_CREATE']);
    assert.equal(entityOfRole(e, '1').length, 1);
    assert.equal(entityOfRole(e, '20').length, 1);
    assert.equal(outcomeOfXdsStatus('PartialSuccess'), '4');
    assert.equal(outcomeOfHttpStatus(200), '0');
    assert.equal(outcomeOfHttpStatus(403), '4');
    assert.equal(outcomeOfHttpStatus(503), '8');
  });

  it('an initiated transaction puts the gateway in the source role and the remote in the destination role', () => {
    const e = buildAuditEvent({ transaction: 'ITI-39', side: 'initiated', outcome: '0', principal: CLINICIAN, patientId: PATIENT, remote: { endpoint: 'https://other.example/xca', address: 'other.example' }, endpoint: 'https://gw.test.example/xca/initiating' }, CONTEXT);
    assert.deepEqual(e.type, { system: DCM, code: '110107', display: 'Import' });
    assert.equal(e.action, 'C');
    assert.deepEqual(agentOfType(e, '110153').who, { identifier: { value: 'https://gw.test.example/xca/initiating' } });
    assert.deepEqual(agentOfType(e, '110152').network, { address: 'other.example', type: '1' });
  });

  it('emergency access adds EMER; a principal without purposes is normal access; the Czech code can be overridden or left out', () => {
    const emergency = buildAuditEvent(createInput({ principal: { ...CLINICIAN, emergency: true } }), CONTEXT);
    assert.deepEqual(emergency.purposeOfEvent?.map((p) => p.coding?.[0]?.code), ['NORM', 'EMER']);
    const system = buildAuditEvent(createInput({ principal: SYSTEM_PRINCIPAL }), CONTEXT);
    assert.deepEqual(system.purposeOfEvent?.map((p) => p.coding?.[0]?.code), ['NORM']);
    assert.equal(system.agent.some((a) => a.type?.coding?.[0]?.code === 'PROV'), false);
    assert.deepEqual(agentOfType(system, '110153').who, { identifier: { value: 'unknown' } });
    const update = buildAuditEvent(createInput({ czEventType: 'ATC_DOC_UPDATE' }), CONTEXT);
    assert.equal(update.subtype?.[1]?.code, 'ATC_DOC_UPDATE');
    const none = buildAuditEvent(createInput({ transaction: 'ITI-104', czEventType: null }), CONTEXT);
    assert.deepEqual(none.subtype?.map((s) => s.code), ['update', 'ITI-104']);
    assert.equal(none.type.code, 'rest');
  });

  it('ITI-62 removals are Patient Record / Delete and name objects by entryUUID', () => {
    const e = buildAuditEvent({ transaction: 'ITI-62', outcome: '0', principal: CLINICIAN, patientId: PATIENT, documents: [{ entryUuid: 'urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }] }, CONTEXT);
    assert.deepEqual(e.type, { system: DCM, code: '110110', display: 'Patient Record' });
    assert.equal(e.action, 'D');
    assert.deepEqual(e.subtype?.map((s) => s.code), ['ITI-62', 'ATC_DOC_DELETE']);
    assert.deepEqual(entityOfRole(e, '3')[0]!.what, { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' } });
  });

  it('declares the MHD ITI-65 audit profile of its side, once patient and submission set are both named', () => {
    const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
    assert.deepEqual(buildAuditEvent(createInput(), CONTEXT).meta, { profile: [`${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`] });
    assert.deepEqual(buildAuditEvent(createInput({ side: 'initiated', remote: { endpoint: 'https://other.example/fhir', address: 'other.example' } }), CONTEXT).meta, { profile: [`${MHD}/IHE.MHD.ProvideBundle.Audit.Source`] });
    assert.equal(buildAuditEvent(createInput({ side: 'initiated', remote: { endpoint: 'https://other.example/fhir' } }), CONTEXT).meta, undefined, 'the Document Recipient needs a network address');
    const { submissionSet: _ss, ...refusedEarly } = createInput({ outcome: '4' });
    assert.equal(buildAuditEvent(refusedEarly, CONTEXT).meta, undefined, 'no submission set entity: the profile would not hold');
  });

  it('an ITI-41 names the documents beside the submission set, the SOAP endpoint as the repository', () => {
    const e = buildAuditEvent(createInput({ transaction: 'ITI-41', endpoint: 'https://gw.test.example/xds/repository' }), CONTEXT);
    const [doc] = entityOfRole(e, '3');
    assert.deepEqual(doc!.what, { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.203.999.2.1' } });
    assert.deepEqual(doc!.detail, [
      { type: 'Repository Unique Id', valueString: '1.2.203.999.3' },
      { type: 'entryUUID', valueString: 'urn:uuid:11111111-2222-4333-8444-555555555555' },
    ]);
    assert.deepEqual(agentOfType(e, '110152').who, { identifier: { value: 'https://gw.test.example/xds/repository' } });
    assert.deepEqual(agentOfType(e, '110152').network, { address: 'gw.test.example', type: '1' });
  });

  it('a read (ITI-68) records patient and document but no query entity, even when the GET had a query string', () => {
    const e = buildAuditEvent(createInput({ transaction: 'ITI-68', submissionSet: undefined, query: { text: 'repositoryUniqueId=1.2.203.999.3' } }), CONTEXT);
    assert.deepEqual(e.entity?.map((x) => x.role?.code), ['1', '3']);
    const search = buildAuditEvent(createInput({ transaction: 'ITI-67', submissionSet: undefined, documents: [], query: { text: 'status=current' } }), CONTEXT);
    assert.deepEqual(search.entity?.map((x) => x.role?.code), ['1', '24'], 'a search keeps its query');
  });

  it('every kind of event is a structurally valid FHIR R4 AuditEvent', () => {
    const fhir = new Fhir();
    const inputs: AuditInput[] = [
      createInput({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' }),
      { transaction: 'ITI-68', outcome: '0', principal: CLINICIAN, patientId: PATIENT, documents: [{ uniqueId: '1.2.3', reference: 'Binary/1', title: 't' }] },
      { transaction: 'ITI-67', outcome: '0', principal: CLINICIAN, patientId: PATIENT, query: { text: 'status=current' } },
      createInput({ transaction: 'ITI-41', outcome: '8', outcomeDesc: 'rejected' }),
      { transaction: 'ITI-38', side: 'initiated', outcome: '12', principal: SYSTEM_PRINCIPAL, remote: { endpoint: 'https://x.example/xca' }, query: { text: '<q/>', storedQueryId: 'urn:uuid:1' } },
    ];
    for (const input of inputs) {
      const result = fhir.validate(buildAuditEvent(input, CONTEXT));
      const errors = result.messages.filter((m) => m.severity === 'error');
      assert.ok(result.valid, `${input.transaction}: ${JSON.stringify(errors)}`);
    }
  });
});
