import assert from 'node:assert/strict';
import { patientResourceId } from '../../src/domain/patient-resource-id';
import { patientCxOf } from '../../src/security/patient-context';

const RID_OID = '1.2.203.999.1';
const OTHER = '1.2.3.4';
const authorities = { primary: RID_OID, accepted: [RID_OID, OTHER], systems: { 'https://ncez.mzcr.cz/fhir/sid/rid': RID_OID } };

describe('security: patient context of a token', () => {
  it('reads a CX, a FHIR token, a Patient resource id and a bare id', () => {
    assert.equal(patientCxOf(`1234567890^^^&${OTHER}&ISO`, authorities), `1234567890^^^&${OTHER}&ISO`);
    assert.equal(patientCxOf('https://ncez.mzcr.cz/fhir/sid/rid|1234567890', authorities), `1234567890^^^&${RID_OID}&ISO`);
    assert.equal(patientCxOf(`urn:oid:${OTHER}|42`, authorities), `42^^^&${OTHER}&ISO`);
    assert.equal(patientCxOf(patientResourceId(`77^^^&${OTHER}&ISO`)!, authorities), `77^^^&${OTHER}&ISO`);
    assert.equal(patientCxOf('1234567890', authorities), `1234567890^^^&${RID_OID}&ISO`);
  });

  it('names no patient for an unknown system, an unaccepted authority or a malformed value', () => {
    assert.equal(patientCxOf('https://example.org/mrn|1', authorities), undefined);
    assert.equal(patientCxOf('urn:oid:9.9.9|1', authorities), undefined);
    assert.equal(patientCxOf('1^^^&not-an-oid&ISO', authorities), undefined);
    assert.equal(patientCxOf('a b', authorities), undefined);
  });
});
