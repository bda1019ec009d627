import assert from 'node:assert/strict';
import { conceptToCwe, cweToConcept } from '../../../src/fhir/mhd/mapping/cwe';
import { cxiToIdentifier, identifierToCxi } from '../../../src/fhir/mhd/mapping/cxi';
import { personToXcn, xcnToPerson } from '../../../src/fhir/mhd/mapping/xcn';
import { organizationToXon, xonToOrganization } from '../../../src/fhir/mhd/mapping/xon';
import { contactPointToXtn, xtnToContactPoint } from '../../../src/fhir/mhd/mapping/xtn';
import { mhd } from './support';

const t = mhd.terminology;
const KRZP = 'https://ncez.mzcr.cz/fhir/sid/krzp';

describe('mhd/mapping HL7 v2 data types <-> FHIR', () => {
  it('XCN <-> name + identifier, the assigning authority through identifierSystems', () => {
    const xcn = '123456789^Dvořák^Jan Karel^Maria^Ph.D.^MUDr.^^^&2.25.155748392722877467759936676619915953321&ISO';
    const person = xcnToPerson(xcn, t);
    assert.deepEqual(person, {
      name: { family: 'Dvořák', given: ['Jan Karel', 'Maria'], suffix: ['Ph.D.'], prefix: ['MUDr.'] },
      identifier: { system: KRZP, value: '123456789' },
    });
    assert.equal(personToXcn(person, t), xcn);
    assert.equal(personToXcn({ name: { family: 'Novák', given: ['Jan'] } }, t), '^Novák^Jan');
    assert.equal(personToXcn({ name: { text: 'MUDr. Jan Novák' } }, t), '^MUDr. Jan Novák');
  });

  it('XON <-> organization name + identifier (XON.10 OID, or XON.6 authority + XON.10 id)', () => {
    for (const xon of ['Nemocnice Vzor^^^^^^^^^1.2.203.55.9', 'Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165', 'Jen název']) {
      assert.equal(organizationToXon(xonToOrganization(xon, t), t), xon);
    }
    assert.deepEqual(xonToOrganization('Nemocnice Ukázka^^^^^&2.25.304345200068535870142747300101570555840&ISO^^^^00064165', t).identifier, {
      system: 'https://ncez.mzcr.cz/fhir/sid/ico',
      value: '00064165',
    });
  });

  it('XTN <-> ContactPoint for e-mail, work phone, mobile and fax', () => {
    const cases: Array<[string, object]> = [
      ['^NET^Internet^lekar@nemocnice.cz', { system: 'email', value: 'lekar@nemocnice.cz' }],
      ['^WPN^PH^^^^^^^^^+420 221 000 111', { system: 'phone', value: '+420 221 000 111', use: 'work' }],
      ['^PRN^CP^^^^^^^^^+420 603 000 000', { system: 'phone', value: '+420 603 000 000', use: 'mobile' }],
      ['^WPN^FX^^^^^^^^^+420 221 000 112', { system: 'fax', value: '+420 221 000 112', use: 'work' }],
    ];
    for (const [xtn, cp] of cases) {
      assert.deepEqual(xtnToContactPoint(xtn), cp, xtn);
      assert.equal(contactPointToXtn(cp), xtn);
    }
    assert.equal(contactPointToXtn({ system: 'url', value: 'https://nemocnice.cz' }), undefined);
  });

  it('CWE (authorRole/authorSpecialty) <-> CodeableConcept; plain strings as text', () => {
    const cwe = '394579002^Kardiologie^^&2.16.840.1.113883.6.96&ISO';
    assert.deepEqual(cweToConcept(cwe, t), { coding: [{ system: 'http://snomed.info/sct', code: '394579002', display: 'Kardiologie' }] });
    assert.equal(conceptToCwe(cweToConcept(cwe, t), t), cwe);
    assert.deepEqual(cweToConcept('Primář', t), { text: 'Primář' });
    assert.equal(conceptToCwe({ text: 'Primář' }, t), 'Primář');
  });

  it('CXi <-> Identifier with the identifier type code', () => {
    const cxi = 'OBJ-77812^^^&2.25.158094334253913537852334855893902160913&ISO^urn:ihe:iti:xds:2013:order';
    const id = cxiToIdentifier(cxi, t);
    assert.deepEqual(id, {
      system: 'urn:oid:2.25.158094334253913537852334855893902160913',
      value: 'OBJ-77812',
      type: { coding: [{ system: 'urn:ietf:rfc:3986', code: 'urn:ihe:iti:xds:2013:order' }] },
    });
    assert.equal(identifierToCxi(id, t), cxi);
    assert.equal(identifierToCxi(cxiToIdentifier('ACC-1^^^^urn:ihe:iti:xds:2013:accession', t), t), 'ACC-1^^^^urn:ihe:iti:xds:2013:accession');
  });
});
