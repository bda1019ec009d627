import assert from 'node:assert/strict';
import { AccessDeniedError } from '../../src/domain/access-denied';
import type { Principal } from '../../src/domain/principal';
import { authorize } from '../../src/security/authorize';
import { fhirTransactions, ITI_104, ITI_20, ITI_41, ITI_43, ITI_57, ITI_62, ITI_65, ITI_67, ITI_81, ITI_86, soapTransactions, type Access } from '../../src/transactions';

/** Every access a transaction's binding or route asks for. */
const EVERY_ACCESS: Array<readonly Access[]> = [...soapTransactions().map((d) => d.soap.access), ...fhirTransactions().flatMap((d) => d.fhir.map((r) => r.access))];
const route = (routes: ReadonlyArray<{ handler: string; access: readonly Access[] }>, handler: string) => routes.find((r) => r.handler === handler)!.access;
const ACCESS = {
  searchDocuments: route(ITI_67.fhir, 'search'),
  provideBundle: route(ITI_65.fhir, 'provide'),
  retrieveDocument: ITI_43.soap.access,
  searchAuditEvents: route(ITI_81.fhir, 'search'),
  updateMetadata: ITI_57.soap.access,
  deleteMetadata: ITI_62.soap.access,
  removeDocuments: ITI_86.soap.access,
  feedPatient: route(ITI_104.fhir, 'feed'),
  createAuditEvent: route(ITI_20.fhir, 'create'),
};

const strict = { emergencyAccess: false };
const denied = (fn: () => void, pattern?: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof AccessDeniedError && (!pattern || pattern.test(err.message)));

describe('security: authorize', () => {
  it('lets callers without scopes (certificate, SAML, AUTH=off) do anything but emergency access where it is off', () => {
    const node: Principal = { subject: 'node-1', authenticatedBy: 'certificate' };
    for (const access of EVERY_ACCESS) authorize(node, access, strict);
    denied(() => authorize({ ...node, emergency: true }, ACCESS.searchDocuments, strict), /emergency/);
    authorize({ ...node, emergency: true }, ACCESS.searchDocuments, { emergencyAccess: true });
  });

  it('asks the same grant of an XDS.b transaction as of its MHD counterpart', () => {
    assert.deepEqual(ITI_41.soap.access, ACCESS.provideBundle);
    assert.deepEqual(soapTransactions().find((d) => d.id === 'ITI-18')!.soap.access, ACCESS.searchDocuments);
    assert.deepEqual(ITI_43.soap.access, route(fhirTransactions().find((d) => d.id === 'ITI-68')!.fhir, 'retrieve'));
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

  it('lets a patient\'s own app (patient/ scopes) read and submit, never update, delete or feed patients', () => {
    const patient: Principal = { subject: 'p', patientId: '1^^^&1.2.3&ISO', scopes: ['patient/*.cruds'], authenticatedBy: 'token' };
    authorize(patient, ACCESS.searchDocuments, strict);
    authorize(patient, ACCESS.retrieveDocument, strict);
    authorize(patient, ACCESS.searchAuditEvents, strict);
    authorize(patient, ACCESS.provideBundle, strict);
    for (const access of [ACCESS.updateMetadata, ACCESS.deleteMetadata, ACCESS.removeDocuments, ACCESS.feedPatient, ACCESS.createAuditEvent]) {
      denied(() => authorize(patient, access, strict), /patient-context/);
    }
  });

  it('lets a professional in a patient context change documents (the core keeps it to that patient), never patients or the audit trail', () => {
    const clinician: Principal = { subject: 'dr', patientId: '1^^^&1.2.3&ISO', scopes: ['user/*.cruds'], authenticatedBy: 'token' };
    const assertion: Principal = { subject: 'dr', patientId: '1^^^&1.2.3&ISO', authenticatedBy: 'saml' };
    for (const caller of [clinician, assertion]) {
      for (const access of [ACCESS.updateMetadata, ACCESS.deleteMetadata, ACCESS.removeDocuments, ACCESS.provideBundle]) authorize(caller, access, strict);
      for (const access of [ACCESS.feedPatient, ACCESS.createAuditEvent]) denied(() => authorize(caller, access, strict), /patient-context/);
    }
  });
});
