import assert from 'node:assert/strict';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import { dicomAuditXml } from '../../src/audit/dicom-xml';
import { TEST_AUTHORITY } from '../support/metadata-builders';
import { CLINICIAN, CONTEXT, createInput } from './support/fixtures';
import { attrs, children, parseXml } from './support/xml';

const PATIENT = `4567891235^^^&${TEST_AUTHORITY}&ISO`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('DICOM PS3.15 audit message XML', () => {
  it('a create: well-formed, elements in schema order, codes and participants from the AuditEvent', () => {
    const event = buildAuditEvent(createInput({ transaction: 'ITI-41', endpoint: 'https://gw.test.example/xds/repository', patientId: PATIENT, recorded: new Date('2026-03-01T10:00:00Z') }), CONTEXT);
    const xml = dicomAuditXml(event, CONTEXT.patientIdSystems);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><AuditMessage>'));
    const root = parseXml(xml);
    assert.equal(root.nodeName, 'AuditMessage');
    assert.deepEqual(
      children(root).map((c) => c.nodeName),
      ['EventIdentification', 'ActiveParticipant', 'ActiveParticipant', 'ActiveParticipant', 'ActiveParticipant', 'AuditSourceIdentification', 'ParticipantObjectIdentification', 'ParticipantObjectIdentification', 'ParticipantObjectIdentification'],
    );

    const [ev] = children(root, 'EventIdentification');
    assert.deepEqual(attrs(ev!), { EventActionCode: 'C', EventDateTime: '2026-03-01T10:00:00.000Z', EventOutcomeIndicator: '0' });
    assert.deepEqual(children(ev!).map((c) => c.nodeName), ['EventID', 'EventTypeCode', 'EventTypeCode', 'PurposeOfUse']);
    assert.deepEqual(attrs(children(ev!, 'EventID')[0]!), { 'csd-code': '110107', codeSystemName: 'DCM', originalText: 'Import' });
    assert.deepEqual(children(ev!, 'EventTypeCode').map(attrs), [
      { 'csd-code': 'ITI-41', codeSystemName: 'IHE Transactions', originalText: 'Provide and Register Document Set-b' },
      { 'csd-code': 'ATC_DOC_CREATE', codeSystemName: 'https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs', originalText: 'Document upload' },
    ]);
    assert.equal(attrs(children(ev!, 'PurposeOfUse')[0]!)['csd-code'], 'NORM');

    const participants = children(root, 'ActiveParticipant');
    assert.deepEqual(attrs(participants[0]!), { UserID: 'krzp:2000000090092', UserName: 'MUDr. Mračena Mrakomorová', UserIsRequestor: 'true' });
    assert.deepEqual(children(participants[0]!, 'RoleIDCode').map((r) => attrs(r)['csd-code']), ['RESP', 'HCP']);
    assert.deepEqual(attrs(participants[2]!), { UserID: 'his-client-1', UserIsRequestor: 'false', NetworkAccessPointID: '192.0.2.10', NetworkAccessPointTypeCode: '2' });
    assert.deepEqual(attrs(children(participants[2]!, 'RoleIDCode')[0]!), { 'csd-code': '110153', codeSystemName: 'DCM', originalText: 'Source Role ID' });
    assert.deepEqual(attrs(participants[3]!), { UserID: 'https://gw.test.example/xds/repository', UserIsRequestor: 'false', NetworkAccessPointID: 'gw.test.example', NetworkAccessPointTypeCode: '1' });

    const [source] = children(root, 'AuditSourceIdentification');
    assert.deepEqual(attrs(source!), { AuditEnterpriseSiteID: '1.2.203.999.7', AuditSourceID: 'hie-gateway@test-host' });
    assert.equal(attrs(children(source!, 'AuditSourceTypeCode')[0]!)['csd-code'], '4');

    const [patient, ss, doc] = children(root, 'ParticipantObjectIdentification');
    assert.deepEqual(attrs(patient!), { ParticipantObjectID: PATIENT, ParticipantObjectTypeCode: '1', ParticipantObjectTypeCodeRole: '1' });
    assert.deepEqual(attrs(children(patient!)[0]!), { 'csd-code': '2', codeSystemName: 'RFC-3881', originalText: 'Patient Number' });
    assert.deepEqual(attrs(ss!), { ParticipantObjectID: '1.2.203.999.1.1', ParticipantObjectTypeCode: '2', ParticipantObjectTypeCodeRole: '20' });
    assert.deepEqual(attrs(children(ss!)[0]!), { 'csd-code': 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd', codeSystemName: 'IHE XDS Metadata', originalText: 'submission set classificationNode' });
    assert.deepEqual(attrs(doc!), { ParticipantObjectID: '1.2.203.999.2.1', ParticipantObjectTypeCode: '2', ParticipantObjectTypeCodeRole: '3' });
    assert.equal(attrs(children(doc!)[0]!)['csd-code'], '9');
    assert.deepEqual(children(doc!, 'ParticipantObjectDetail').map(attrs), [
      { type: 'Repository Unique Id', value: b64('1.2.203.999.3') },
      { type: 'entryUUID', value: b64('urn:uuid:11111111-2222-4333-8444-555555555555') },
    ]);
  });

  it('a BALP event (rest) travels with the DICOM event ID of its transaction and side, without the FHIR interaction', () => {
    const eventId = (input: Parameters<typeof buildAuditEvent>[0]) => {
      const root = parseXml(dicomAuditXml(buildAuditEvent(input, CONTEXT), CONTEXT.patientIdSystems));
      const [ev] = children(root, 'EventIdentification');
      return { action: attrs(ev!).EventActionCode, id: attrs(children(ev!, 'EventID')[0]!)['csd-code'], types: children(ev!, 'EventTypeCode').map((c) => attrs(c)['csd-code']) };
    };
    const base = { outcome: '0' as const, principal: CLINICIAN, patientId: PATIENT, endpoint: 'https://gw.test.example/fhir' };
    assert.deepEqual(eventId({ ...base, transaction: 'ITI-67', query: { text: 'status=current' } }), { action: 'E', id: '110112', types: ['ITI-67', 'ATC_DOC_SEARCH'] });
    assert.deepEqual(eventId({ ...base, transaction: 'ITI-66', interaction: 'read', resource: 'List/x' }), { action: 'R', id: '110112', types: ['ITI-66', 'ATC_DOC_SEARCH'] });
    assert.deepEqual(eventId({ ...base, transaction: 'ITI-68', documents: [{ uniqueId: '1.2.3' }] }), { action: 'R', id: '110106', types: ['ITI-68', 'ATC_DOC_READ'] });
    assert.deepEqual(eventId({ ...base, transaction: 'ITI-68', side: 'initiated', remote: { endpoint: 'https://other.example/fhir', address: 'other.example' }, documents: [{ uniqueId: '1.2.3' }] }), { action: 'R', id: '110107', types: ['ITI-68', 'ATC_DOC_READ'] });
    assert.deepEqual(eventId({ ...base, transaction: 'ITI-104', action: 'C', resource: 'Patient/p1' }), { action: 'C', id: '110110', types: ['ITI-104'] });
  });

  it('a search: the query travels base64 in ParticipantObjectQuery, identified by the transaction', () => {
    const event = buildAuditEvent({ transaction: 'ITI-18', outcome: '0', principal: CLINICIAN, patientId: PATIENT, query: { text: '<query:AdhocQueryRequest>…</query:AdhocQueryRequest>', storedQueryId: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d' } }, CONTEXT);
    const root = parseXml(dicomAuditXml(event, CONTEXT.patientIdSystems));
    const query = children(root, 'ParticipantObjectIdentification').find((p) => attrs(p).ParticipantObjectTypeCodeRole === '24')!;
    assert.equal(attrs(query).ParticipantObjectID, 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d');
    assert.deepEqual(attrs(children(query, 'ParticipantObjectIDTypeCode')[0]!), { 'csd-code': 'ITI-18', codeSystemName: 'IHE Transactions', originalText: 'Registry Stored Query' });
    const [q] = children(query, 'ParticipantObjectQuery');
    assert.equal(Buffer.from(q!.textContent ?? '', 'base64').toString('utf8'), '<query:AdhocQueryRequest>…</query:AdhocQueryRequest>');
    assert.equal(attrs(children(query, 'ParticipantObjectDetail')[0]!).value, b64('UTF-8'));
    const [ev] = children(root, 'EventIdentification');
    assert.equal(attrs(ev!).EventActionCode, 'E');
  });

  it('a failure: outcome indicator and description; markup and control characters escaped', () => {
    const desc = 'bad <Document> & "quotes"\u0001 tab\there\nnewline';
    const noSystems = { ...CONTEXT, patientIdSystems: {} };
    const event = buildAuditEvent(createInput({ transaction: 'ITI-41', outcome: '12', outcomeDesc: desc, principal: { ...CLINICIAN, displayName: 'A <b>&</b>' } }), noSystems);
    const root = parseXml(dicomAuditXml(event));
    const [ev] = children(root, 'EventIdentification');
    assert.equal(attrs(ev!).EventOutcomeIndicator, '12');
    assert.equal(children(ev!, 'EventOutcomeDescription')[0]!.textContent, desc.replace('\u0001', '\uFFFD'));
    assert.equal(attrs(children(root, 'ActiveParticipant')[0]!).UserName, 'A <b>&</b>');
    // Without a URI for the authority the patient system is urn:oid:, which needs no mapping to get back to the CX.
    const patient = children(root, 'ParticipantObjectIdentification')[0]!;
    assert.match(attrs(patient).ParticipantObjectID!, /\^\^\^&2\.25\.61897394214018412226036367036446431779&ISO$/);
  });
});
