import assert from 'node:assert/strict';
import { identifierToCx, patientAuthorityLookup } from '../../src/domain/patient-identifier';
import { patientIdOf } from '../../src/audit/patient-identifier';

describe('domain/patient-identifier: FHIR identifier -> XDS patient CX', () => {
  const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
  const RID_OID = '1.2.203.24341.1.1';
  const systems = { [RID_SYSTEM]: RID_OID };
  const lookup = patientAuthorityLookup(systems);

  it('names the authority through the system table or urn:oid:', () => {
    assert.deepEqual(identifierToCx({ system: RID_SYSTEM, value: '1234567890' }, lookup), { ok: true, cx: `1234567890^^^&${RID_OID}&ISO` });
    assert.deepEqual(identifierToCx({ system: 'urn:oid:1.2.203.55.1', value: 'MRN-1' }, lookup), { ok: true, cx: 'MRN-1^^^&1.2.203.55.1&ISO' });
    assert.equal(identifierToCx({ system: 'urn:oid:not-an-oid', value: 'MRN-1' }, lookup).ok, false);
    assert.equal(identifierToCx({ system: 'https://example.org/mrn', value: 'MRN-1' }, lookup).ok, false);
  });

  it('refuses a value holding any HL7 v2 encoding character instead of writing a CX with extra components', () => {
    for (const value of ['1^2', '1&2', '1~2', '1\\2', '1\\S\\2']) {
      const r = identifierToCx({ system: RID_SYSTEM, value }, lookup);
      assert.equal(r.ok, false, value);
      assert.match((r as { reason: string }).reason, /HL7 separators/);
    }
  });

  it('keeps the audit trail and the front ends on the same rule: no CX for a value with separators', () => {
    assert.equal(patientIdOf({ system: RID_SYSTEM, value: '1234567890' }, systems), `1234567890^^^&${RID_OID}&ISO`);
    // Kept as given, not turned into `1^2^^^&OID&ISO` (a CX whose CX.2 is "2").
    assert.equal(patientIdOf({ system: RID_SYSTEM, value: '1^2' }, systems), '1^2');
    assert.equal(patientIdOf({ system: 'https://example.org/mrn', value: `7^^^&${RID_OID}&ISO` }, systems), `7^^^&${RID_OID}&ISO`);
  });
});
