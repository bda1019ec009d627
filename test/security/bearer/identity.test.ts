import assert from 'node:assert/strict';
import { identityOf } from '../../../src/security/bearer/identity';
import { TokenError } from '../../../src/security/bearer';

describe('security/bearer: claims -> TokenIdentity', () => {
  it('maps the IUA extension', () => {
    const identity = identityOf(
      {
        sub: 'dr.novak',
        azp: 'his-1',
        scp: ['system/DocumentReference.rs', 'system/List.rs'],
        exp: 2_000_000_000,
        extensions: {
          ihe_iua: {
            subject_name: 'MUDr. Jan Novák',
            subject_organization: 'Nemocnice Na Homolce',
            subject_organization_id: 'urn:oid:1.2.203.1',
            subject_role: { system: 'urn:oid:2.16.840.1.113883.6.96', code: '309343006', display: 'Physician' },
            purpose_of_use: [{ system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'TREATMENT' }],
            home_community_id: 'urn:oid:1.2.203.99',
            patient_id: '7001011234^^^&1.2.203.24341.1.1&ISO',
          },
        },
      },
      'https://idp.example',
    );
    assert.deepEqual(identity, {
      issuer: 'https://idp.example',
      subject: 'dr.novak',
      clientId: 'his-1',
      scopes: ['system/DocumentReference.rs', 'system/List.rs'],
      purposeOfUse: [{ system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'TREATMENT' }],
      patient: '7001011234^^^&1.2.203.24341.1.1&ISO',
      subjectName: 'MUDr. Jan Novák',
      organization: { id: 'urn:oid:1.2.203.1', name: 'Nemocnice Na Homolce' },
      role: { system: 'urn:oid:2.16.840.1.113883.6.96', code: '309343006', display: 'Physician' },
      homeCommunityId: 'urn:oid:1.2.203.99',
      expiresAt: new Date(2_000_000_000_000),
    });
  });

  it('reads a top-level purpose_of_use as codes or codings, and prefers the SMART patient claim', () => {
    const a = identityOf({ client_id: 'app', scope: 'patient/*.rs  launch', purpose_of_use: ['TREAT', { code: 'ETREAT', system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason' }, 42], patient: 'p1', extensions: { ihe_iua: { resource_id: 'cx' } } }, 'i');
    assert.equal(a.subject, 'app', 'client-credentials token: the client is the subject');
    assert.deepEqual(a.scopes, ['patient/*.rs', 'launch']);
    assert.deepEqual(a.purposeOfUse, [{ code: 'TREAT' }, { code: 'ETREAT', system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason' }]);
    assert.equal(a.patient, 'p1');
    const b = identityOf({ sub: 's', purpose_of_use: 'TREAT', extensions: { ihe_iua: { resource_id: 'cx' } } }, 'i');
    assert.deepEqual(b.purposeOfUse, [{ code: 'TREAT' }]);
    assert.equal(b.patient, 'cx');
    assert.deepEqual(b.scopes, []);
  });

  it('refuses a token naming neither subject nor client', () => {
    assert.throws(() => identityOf({ scope: 'x' }, 'i'), (err: unknown) => err instanceof TokenError && err.code === 'invalid_token');
  });
});
