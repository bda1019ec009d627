// Each AuditEvent the builder makes against the IHE audit profiles it declares (BALP, MHD 4.2,
// PIXm 3), checked structurally by support/audit-profile-checks.ts: the fixed type, subtypes,
// action and outcome, the client/server/user agents and the audit source, the entity slices.
// The checks are shown to catch what they must (a DICOM-typed search, a failure, a second object).
import assert from 'node:assert/strict';
import type { AuditInput } from '../../src/audit/audit-input';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import { TEST_AUTHORITY } from '../support/metadata-builders';
import { declaredProfileViolations, profileViolations } from './support/audit-profile-checks';
import { CLINICIAN, CONTEXT, createInput } from './support/fixtures';

const PATIENT = `4567891235^^^&${TEST_AUTHORITY}&ISO`;
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition';
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition';
const PIXM = 'https://profiles.ihe.net/ITI/PIXm/StructureDefinition';
const SERVED = { outcome: '0', principal: CLINICIAN, patientId: PATIENT, endpoint: 'https://gw.test.example/fhir', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } as const;
const REMOTE = { side: 'initiated', remote: { endpoint: 'https://other.example/fhir', address: 'other.example' } } as const;
const DOCUMENT = { uniqueId: '1.2.203.999.2.1', repositoryUniqueId: '1.2.203.999.3', homeCommunityId: 'urn:oid:1.2.203.999', reference: 'https://gw.test.example/fhir/Binary/1.2.203.999.2.1' };

function conforming(input: AuditInput, profiles: string[]) {
  const event = buildAuditEvent(input, CONTEXT);
  assert.deepEqual(event.meta?.profile, profiles);
  assert.deepEqual(declaredProfileViolations(event), []);
  return event;
}

describe('audit events against the IHE audit profiles they declare', () => {
  it('ITI-67 and ITI-66 searches: MHD Find* Responder / Consumer on BALP PatientQuery; a search of no patient is a BALP Query', () => {
    conforming({ ...SERVED, transaction: 'ITI-67', query: { text: 'patient.identifier=x|1&status=current' } }, [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    conforming({ ...SERVED, ...REMOTE, transaction: 'ITI-67', query: { text: 'status=current' } }, [`${MHD}/IHE.MHD.FindDocumentReferences.Audit.Consumer`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    conforming({ ...SERVED, transaction: 'ITI-66', query: { text: 'code=submissionset' } }, [`${MHD}/IHE.MHD.FindDocumentLists.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    conforming({ ...SERVED, ...REMOTE, transaction: 'ITI-66', query: { text: 'code=folder' } }, [`${MHD}/IHE.MHD.FindDocumentLists.Audit.Consumer`, `${BALP}/IHE.BasicAudit.PatientQuery`]);
    const { patientId: _p, ...noPatient } = SERVED;
    conforming({ ...noPatient, transaction: 'ITI-67', query: { text: 'status=current' } }, [`${BALP}/IHE.BasicAudit.Query`]);
  });

  it('reads by id of ITI-66/67 are BALP (Patient)Read of the resource, with no query entity', () => {
    const e = conforming({ ...SERVED, transaction: 'ITI-67', interaction: 'read', resource: 'DocumentReference/abc', query: { text: '' } }, [`${BALP}/IHE.BasicAudit.PatientRead`]);
    assert.deepEqual(e.entity?.map((x) => x.role?.code), ['1', '4', '26']);
    const { patientId: _p, ...noPatient } = SERVED;
    conforming({ ...noPatient, transaction: 'ITI-66', interaction: 'read', resource: 'List/abc' }, [`${BALP}/IHE.BasicAudit.Read`]);
  });

  it('ITI-68: MHD RetrieveDocument Responder / Consumer on BALP PatientRead, the server as the data source', () => {
    conforming({ ...SERVED, transaction: 'ITI-68', documents: [DOCUMENT], query: { text: 'repositoryUniqueId=1.2.203.999.3' } }, [`${MHD}/IHE.MHD.RetrieveDocument.Audit.Responder`, `${BALP}/IHE.BasicAudit.PatientRead`]);
    conforming({ ...SERVED, ...REMOTE, transaction: 'ITI-68', documents: [DOCUMENT] }, [`${MHD}/IHE.MHD.RetrieveDocument.Audit.Consumer`, `${BALP}/IHE.BasicAudit.PatientRead`]);
  });

  it('ITI-104: PIXm Feed Create / Update Manager on BALP PatientCreate / PatientUpdate, by what the conditional update did', () => {
    const created = conforming({ ...SERVED, transaction: 'ITI-104', action: 'C', resource: 'Patient/p-1' }, [`${PIXM}/IHE.PIXm.Feed.Create.Audit.Manager`, `${BALP}/IHE.BasicAudit.PatientCreate`]);
    assert.deepEqual(created.subtype?.map((s) => s.code), ['create', 'ITI-104']);
    const updated = conforming({ ...SERVED, transaction: 'ITI-104', action: 'U', resource: 'Patient/p-1' }, [`${PIXM}/IHE.PIXm.Feed.Update.Audit.Manager`, `${BALP}/IHE.BasicAudit.PatientUpdate`]);
    assert.equal(updated.action, 'U');
  });

  it('ITI-65: MHD ProvideBundle Recipient / Source, with the patient and the submission set only', () => {
    conforming(createInput({ patientId: PATIENT }), [`${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`]);
    conforming(createInput({ patientId: PATIENT, ...REMOTE }), [`${MHD}/IHE.MHD.ProvideBundle.Audit.Source`]);
  });

  it('claims nothing it does not meet: failures, a client of unknown address, a second object, a second client', () => {
    const failed = buildAuditEvent({ ...SERVED, transaction: 'ITI-67', outcome: '4', query: { text: 'status=current' } }, CONTEXT);
    assert.equal(failed.meta, undefined);
    assert.deepEqual(profileViolations(failed, `${MHD}/IHE.MHD.FindDocumentReferences.Audit.Responder`), ['outcome 4: BALP fixes success (0)']);
    const { address: _a, ...noAddress } = CLINICIAN;
    const anonymous = buildAuditEvent({ ...SERVED, principal: noAddress, transaction: 'ITI-67', query: { text: 'status=current' } }, CONTEXT);
    assert.equal(anonymous.meta, undefined);
    assert.deepEqual(profileViolations(anonymous, `${BALP}/IHE.BasicAudit.PatientQuery`), ['client agent (110153): no network']);
    const two = buildAuditEvent({ ...SERVED, transaction: 'ITI-68', documents: [DOCUMENT, { ...DOCUMENT, uniqueId: '1.2.203.999.2.2' }] }, CONTEXT);
    assert.equal(two.meta, undefined);
    assert.deepEqual(profileViolations(two, `${BALP}/IHE.BasicAudit.PatientRead`), ['data entity (type 2): 2 found, the profile wants exactly 1']);
    const community = buildAuditEvent({ ...SERVED, principal: { ...CLINICIAN, homeCommunityId: 'urn:oid:1.2.3' }, transaction: 'ITI-67', query: { text: 'status=current' } }, CONTEXT);
    assert.equal(community.meta, undefined);
    assert.deepEqual(profileViolations(community, `${BALP}/IHE.BasicAudit.Query`), ['client agent (110153): 2 found, the profile wants exactly 1']);
  });

  it('the checks reject the DICOM-typed events the gateway recorded before (and an ITI-41 as an ITI-65)', () => {
    const dicomQuery = { ...buildAuditEvent({ ...SERVED, transaction: 'ITI-18', query: { text: '<q/>' } }, CONTEXT) };
    const violations = profileViolations(dicomQuery, `${BALP}/IHE.BasicAudit.PatientQuery`);
    assert.ok(violations.includes('type is http://dicom.nema.org/resources/ontology/DCM|110112, not audit-event-type|rest'), violations.join('\n'));
    assert.ok(violations.some((v) => v.startsWith('query entity (type 2): has detail')), violations.join('\n'));
    const iti41 = buildAuditEvent(createInput({ transaction: 'ITI-41', patientId: PATIENT }), CONTEXT);
    assert.equal(iti41.meta, undefined);
    const asIti65 = profileViolations(iti41, `${MHD}/IHE.MHD.ProvideBundle.Audit.Recipient`);
    assert.ok(asIti65.includes('subtype ITI-65: 0 found, the profile wants exactly 1'), asIti65.join('\n'));
    assert.ok(asIti65.includes('submissionSet entity (type 2): 2 found, the profile wants exactly 1'), 'documents fall into the submission-set slice');
  });
});
