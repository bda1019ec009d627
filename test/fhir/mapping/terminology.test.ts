import assert from 'node:assert/strict';
import { Terminology } from '../../../src/fhir/mhd/mapping';
import { cxToIdentifier } from '../../../src/fhir/mhd/mapping/patient-ids';
import { identifierToCx } from '../../../src/domain/patient-identifier';
import { identifierToUniqueId, uniqueIdToIdentifier, uuidToOid } from '../../../src/fhir/mhd/mapping/unique-ids';
import { TEST_AUTHORITY } from '../../support/metadata-builders';
import { mhd, profile, RID, RID_SYSTEM } from './support';

describe('mhd/mapping terminology: system URI <-> OID', () => {
  const t = mhd.terminology;

  it('maps the code systems of ihe-profiles/code-systems.json both ways', () => {
    const table: Array<[string, string]> = [
      ['http://loinc.org', '2.16.840.1.113883.6.1'],
      ['http://snomed.info/sct', '2.16.840.1.113883.6.96'],
      ['http://terminology.hl7.org/CodeSystem/v3-Confidentiality', '2.16.840.1.113883.5.25'],
      ['http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', '1.3.6.1.4.1.19376.1.2.3'],
      ['http://hl7.org/fhir/sid/icd-10', '2.16.840.1.113883.6.3'],
      ['urn:ietf:bcp:47', '2.16.840.1.113883.6.316'],
    ];
    for (const [uri, oid] of table) {
      assert.equal(t.codeSystemOid(uri), oid, uri);
      assert.equal(t.codeSystemUri(oid), uri, oid);
    }
  });

  it('passes any other OID through as urn:oid:, and refuses an unknown URI', () => {
    assert.equal(t.codeSystemOid('urn:oid:1.2.203.99.1'), '1.2.203.99.1');
    assert.equal(t.codeSystemUri('1.2.203.99.1'), 'urn:oid:1.2.203.99.1');
    assert.equal(t.codeSystemOid('urn:oid:not-an-oid'), undefined);
    const r = t.codingToCode({ system: 'http://example.org/codes', code: 'x' });
    assert.equal(r.ok, false);
    assert.equal(t.codingToCode({ code: 'x' }).ok, false, 'XDS needs a coding scheme');
  });

  it('turns codes into Codings and back, display included', () => {
    const code = { code: '18842-5', scheme: '2.16.840.1.113883.6.1', display: 'Propouštěcí zpráva' };
    const coding = t.codeToCoding(code);
    assert.deepEqual(coding, { system: 'http://loinc.org', code: '18842-5', display: 'Propouštěcí zpráva' });
    assert.deepEqual(t.codingToCode(coding), { ok: true, code });
    assert.deepEqual(t.conceptToCode({ coding: [coding, { system: 'http://snomed.info/sct', code: '1' }] }), { ok: true, code }, 'the first coding is taken');
  });

  it('uses a table handed in instead of the default', () => {
    const custom = new Terminology({}, { codeSystems: [{ uri: 'https://ncez.mzcr.cz/terminology/CodeSystem/x', oid: '1.2.203.1' }], identifierSystems: [] });
    assert.equal(custom.codeSystemOid('https://ncez.mzcr.cz/terminology/CodeSystem/x'), '1.2.203.1');
    assert.equal(custom.codeSystemOid('http://loinc.org'), undefined);
  });
});

describe('mhd/mapping patient identifiers: FHIR Identifier <-> CX', () => {
  const t = mhd.terminology;

  it('maps the Czech RID system through the profile patientIdSystems', () => {
    assert.equal(profile.patientIdSystems[RID_SYSTEM], TEST_AUTHORITY);
    assert.deepEqual(identifierToCx({ system: RID_SYSTEM, value: RID }, t), { ok: true, cx: `${RID}^^^&${TEST_AUTHORITY}&ISO` });
    assert.deepEqual(cxToIdentifier(`${RID}^^^&${TEST_AUTHORITY}&ISO`, t), { system: RID_SYSTEM, value: RID });
  });

  it('maps the rodné číslo system to its own authority', () => {
    const rcis = 'https://ncez.mzcr.cz/fhir/sid/rcis';
    const r = identifierToCx({ system: rcis, value: '7608135432' }, t);
    assert.deepEqual(r, { ok: true, cx: `7608135432^^^&${profile.patientIdSystems[rcis]}&ISO` });
  });

  it('accepts urn:oid: systems and writes unknown authorities as urn:oid:', () => {
    assert.deepEqual(identifierToCx({ system: 'urn:oid:1.2.203.55.1', value: 'MRN-1' }, t), { ok: true, cx: 'MRN-1^^^&1.2.203.55.1&ISO' });
    assert.deepEqual(cxToIdentifier('MRN-1^^^&1.2.203.55.1&ISO', t), { system: 'urn:oid:1.2.203.55.1', value: 'MRN-1' });
  });

  it('refuses identifiers without value, without system, with an unconfigured system or with HL7 separators', () => {
    assert.equal(identifierToCx({ system: RID_SYSTEM }, t).ok, false);
    assert.equal(identifierToCx({ value: RID }, t).ok, false);
    assert.equal(identifierToCx({ system: 'https://example.org/mrn', value: RID }, t).ok, false);
    assert.equal(identifierToCx({ system: RID_SYSTEM, value: '1^2' }, t).ok, false);
  });
});

describe('mhd/mapping uniqueId <-> Identifier', () => {
  const oidOf = (uri: string) => mhd.terminology.identifierSystemOid(uri);

  it('writes an OID as urn:oid: under urn:ietf:rfc:3986 and reads it back', () => {
    const id = uniqueIdToIdentifier('2.25.311139077482821584186546667835402694049');
    assert.deepEqual(id, { use: 'usual', system: 'urn:ietf:rfc:3986', value: 'urn:oid:2.25.311139077482821584186546667835402694049' });
    assert.deepEqual(identifierToUniqueId(id, oidOf), { ok: true, value: '2.25.311139077482821584186546667835402694049' });
  });

  it('writes OID^extension as system urn:oid:root, value extension', () => {
    const id = uniqueIdToIdentifier('1.2.203.55.7^DOC-42');
    assert.deepEqual(id, { use: 'usual', system: 'urn:oid:1.2.203.55.7', value: 'DOC-42' });
    assert.deepEqual(identifierToUniqueId(id, oidOf), { ok: true, value: '1.2.203.55.7^DOC-42' });
  });

  it('turns a urn:uuid: into its 2.25 OID (ITU-T X.667)', () => {
    assert.equal(uuidToOid('f81d4fae-7dec-11d0-a765-00a0c91e6bf6'), '2.25.329800735698586629295641978511506172918');
    assert.deepEqual(identifierToUniqueId({ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6' }, oidOf), {
      ok: true,
      value: '2.25.329800735698586629295641978511506172918',
    });
  });

  it('refuses values that are neither OID nor UUID, and systems without an OID', () => {
    assert.equal(identifierToUniqueId({ system: 'urn:ietf:rfc:3986', value: 'DOC-42' }, oidOf).ok, false);
    assert.equal(identifierToUniqueId({ system: 'https://example.org/docs', value: 'DOC-42' }, oidOf).ok, false);
  });
});
