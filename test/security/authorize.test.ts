import assert from 'node:assert/strict';
import { AccessDeniedError } from '../../src/domain/access-denied';
import type { Principal } from '../../src/domain/principal';
import { ACCESS } from '../../src/security/access-table';
import { authorize } from '../../src/security/authorize';

const strict = { emergencyAccess: false };
const denied = (fn: () => void, pattern?: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof AccessDeniedError && (!pattern || pattern.test(err.message)));

describe('security: authorize', () => {
  it('lets callers without scopes (certificate, SAML, AUTH=off) do anything but emergency access where it is off', () => {
    const node: Principal = { subject: 'node-1', authenticatedBy: 'certificate' };
    for (const access of Object.values(ACCESS)) authorize(node, access, strict);
    denied(() => authorize({ ...node, emergency: true }, ACCESS.searchDocuments, strict), /emergency/);
    authorize({ ...node, emergency: true }, ACCESS.searchDocuments, { emergencyAccess: true });
  });

  it('requires every resource an ITI-65 creates, and names the missing scope for the caller', () => {
    const token: Principal = { subject: 'app', scopes: ['system/DocumentReference.c', 'system/List.c'], authenticatedBy: 'token' };
    assert.throws(() => authorize(token, ACCESS.provideBundle, strict), (err: unknown) => {
      assert.ok(err instanceof AccessDeniedError);
      assert.equal(err.requiredScope, 'system/Binary.c');
      assert.match(err.publicReason, /insufficient scope/);
      return true;
    });
    authorize({ ...token, scopes: [...token.scopes!, 'system/Binary.c'] }, ACCESS.provideBundle, strict);
  });

  it('lets a patient-context caller read and submit, never update, delete or feed patients', () => {
    const patient: Principal = { subject: 'p', patientId: '1^^^&1.2.3&ISO', scopes: ['patient/*.cruds'], authenticatedBy: 'token' };
    authorize(patient, ACCESS.searchDocuments, strict);
    authorize(patient, ACCESS.retrieveDocument, strict);
    authorize(patient, ACCESS.searchAuditEvents, strict);
    authorize(patient, ACCESS.provideBundle, strict);
    for (const access of [ACCESS.updateMetadata, ACCESS.deleteMetadata, ACCESS.removeDocuments, ACCESS.feedPatient, ACCESS.createAuditEvent]) {
      denied(() => authorize(patient, access, strict), /patient-context/);
    }
  });
});
