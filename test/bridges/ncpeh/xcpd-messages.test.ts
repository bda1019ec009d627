// XCPD ITI-55 messages on their own: the query the outbound client writes is read back by the
// responder's reader with every identifier and trait; the response the responder writes is read
// back by the client's reader; FHIR Patient demographics map to HL7 v3's and are compared.
import assert from 'node:assert/strict';
import { renderXml, parseXml } from '../../../src/soap';
import { demographicsAgree, demographicsOf } from '../../../src/bridges/ncpeh/xcpd/demographics';
import { XcpdQueryError, type PatientDiscoveryQuery } from '../../../src/bridges/ncpeh/xcpd/model';
import { queryByParameterOf, readQuery, writeQuery } from '../../../src/bridges/ncpeh/xcpd/query-message';
import { readResponse, writeResponse } from '../../../src/bridges/ncpeh/xcpd/response-message';

const QUERY: PatientDiscoveryQuery = {
  messageId: { root: '1.2.208.176.7.1', extension: 'msg-1' },
  queryId: { root: '1.2.208.176.7.1', extension: 'q-1' },
  sender: { deviceId: '1.2.208.176.7.1', communityId: '1.2.208' },
  receiver: { deviceId: '1.2.203.24341.7', communityId: '1.2.203.24341' },
  identifiers: [
    { root: '1.2.203.24341.1.1', extension: '7608139877' },
    { root: '1.2.203.24341.1.2', extension: '765813/9877' },
  ],
  demographics: { given: ['Jana', 'Marie'], family: 'Nováková', gender: 'F', birthDate: '1976-08-13' },
};

const parse = (xml: string) => parseXml(xml).documentElement!;

describe('XCPD ITI-55 messages', () => {
  it('PRPA_IN201305UV02: what the client writes, the responder reads', () => {
    const xml = renderXml(writeQuery(QUERY, new Date('2026-01-02T03:04:05Z')));
    assert.match(xml, /<hl7:interactionId root="2\.16\.840\.1\.113883\.1\.6" extension="PRPA_IN201305UV02"\/>/);
    assert.match(xml, /<hl7:creationTime value="20260102030405"\/>/);
    assert.deepEqual(readQuery(parse(xml)), QUERY);
  });

  it('the parameter list keeps HL7\'s order: gender, birth time, ids, name', () => {
    const xml = renderXml(writeQuery(QUERY, new Date()));
    const order = ['livingSubjectAdministrativeGender', 'livingSubjectBirthTime', 'livingSubjectId', 'livingSubjectName'].map((n) => xml.indexOf(`<hl7:${n}>`));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.ok(order.every((i) => i > 0));
  });

  it('a query the responder cannot read is an XcpdQueryError, not a crash', () => {
    assert.throws(() => readQuery(parse('<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3"/>')), XcpdQueryError);
    const noId = renderXml(writeQuery(QUERY, new Date())).replace(/<hl7:id root="1\.2\.208\.176\.7\.1" extension="msg-1"\/>/, '');
    assert.throws(() => readQuery(parse(noId)), /no id/);
    const badGender = renderXml(writeQuery(QUERY, new Date())).replace('<hl7:value code="F"/>', '<hl7:value code="X"/>');
    assert.throws(() => readQuery(parse(badGender)), /not M, F or UN/);
  });

  it('PRPA_IN201306UV02: a match with demographics and address, acknowledging the query message, echoing the query', () => {
    const request = parse(renderXml(writeQuery(QUERY, new Date())));
    const patient = { identifiers: [QUERY.identifiers[0]!], demographics: { ...QUERY.demographics, address: { streetAddressLine: 'Vinohradská 12', city: 'Praha', postalCode: '12000', country: 'CZ' } } };
    const xml = renderXml(
      writeResponse(QUERY, { code: 'OK', patients: [patient] }, { responder: { deviceId: '1.2.203.24341.7', communityId: '1.2.203.24341' }, now: new Date(), queryByParameter: queryByParameterOf(request)! }),
    );
    const read = readResponse(parse(xml));
    assert.equal(read.code, 'OK');
    assert.deepEqual(read.patients, [patient]);
    assert.deepEqual(read.targetMessageId, QUERY.messageId);
    assert.deepEqual(read.responder, { deviceId: '1.2.203.24341.7', communityId: '1.2.203.24341' });
    assert.match(xml, /<hl7:acknowledgement><hl7:typeCode code="AA"\/>/);
    assert.match(xml, /<hl7:custodian typeCode="CST"><hl7:assignedEntity classCode="ASSIGNED"><hl7:id root="1\.2\.203\.24341"\/>/);
    assert.match(xml, /<hl7:queryAck><hl7:queryId root="1\.2\.208\.176\.7\.1" extension="q-1"\/><hl7:queryResponseCode code="OK"\/><\/hl7:queryAck><hl7:queryByParameter xmlns:hl7="urn:hl7-org:v3">/);
  });

  it('no match is AA with NF; an unreadable query is AE with QE and the reason', () => {
    const nf = readResponse(parse(renderXml(writeResponse(QUERY, { code: 'NF', patients: [] }, { responder: { deviceId: '1.2.3' }, now: new Date() }))));
    assert.equal(nf.code, 'NF');
    assert.deepEqual(nf.patients, []);
    const qe = renderXml(writeResponse(undefined, { code: 'QE', patients: [], error: { code: 'AnswerNotAvailable', text: 'no identifier' } }, { responder: { deviceId: '1.2.3' }, now: new Date() }));
    assert.match(qe, /<hl7:typeCode code="AE"\/>/);
    const read = readResponse(parse(qe));
    assert.equal(read.code, 'QE');
    assert.deepEqual(read.error, { code: 'AnswerNotAvailable', text: 'no identifier' });
  });

  it('FHIR Patient -> demographics (official name, gender, birth date, home address); traits that disagree are no match', () => {
    const d = demographicsOf({
      resourceType: 'Patient',
      name: [{ use: 'maiden', family: 'Svobodová' }, { use: 'official', family: 'Nováková', given: ['Jana'] }],
      gender: 'female',
      birthDate: '1976-08-13',
      address: [{ use: 'work', city: 'Brno' }, { use: 'home', line: ['Vinohradská 12'], city: 'Praha', postalCode: '12000', country: 'CZ' }],
    });
    assert.deepEqual(d, { given: ['Jana'], family: 'Nováková', gender: 'F', birthDate: '1976-08-13', address: { streetAddressLine: 'Vinohradská 12', city: 'Praha', postalCode: '12000', country: 'CZ' } });
    assert.equal(demographicsAgree({ birthDate: '1976-08-13', gender: 'F' }, d), true);
    assert.equal(demographicsAgree({ birthDate: '1976' }, d), true);
    assert.equal(demographicsAgree({ birthDate: '1976-08-14' }, d), false);
    assert.equal(demographicsAgree({ gender: 'M' }, d), false);
    assert.equal(demographicsAgree({ gender: 'UN' }, d), true);
    assert.deepEqual(demographicsOf(undefined), {});
  });
});
