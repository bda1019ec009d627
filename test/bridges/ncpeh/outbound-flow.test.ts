// Outbound cross-border flow against the foreign-NCP simulator (test/bridges/ncpeh/simulator,
// the npm soap package's server over mutual TLS with certificates this test makes with openssl):
// a Czech doctor's HCP assertion identifies an Austrian patient over XCPD, then finds and
// retrieves their Patient Summary over ITI-38/39 with a TRC for that patient. The simulator
// checks every header itself and records what it saw.
import assert from 'node:assert/strict';
import type { Community } from '../../../src/communities/community';
import { communityPost } from '../../../src/bridges/ncpeh/outbound/community-post';
import { createNcpClient, EHDSI_CLASS, type NcpClient, type NcpEndpoints } from '../../../src/bridges/ncpeh/outbound/ncp-client';
import { NcpCallError } from '../../../src/bridges/ncpeh/soap-exchange';
import type { EhdsiAssertionIssuer } from '../../../src/security/ehdsi';
import { createPki, type Pki } from '../../security/support/pki';
import { CZECH_DOCTOR, testNcp, type TestNcp } from '../../security/support/ehdsi-parties';
import { startForeignNcp, type ForeignNcp } from './simulator/foreign-ncp';

const AT = '1.2.40.0.10';
const PATIENT = { root: '1.2.40.0.10.1.4.3.1', extension: '1234567890', given: 'Maria', family: 'Huber', gender: 'F' as const, birthDate: '1980-02-29' };
const PATIENT_CX = `${PATIENT.extension}^^^&${PATIENT.root}&ISO`;
const SUMMARY = { uniqueId: '1.2.40.0.10.99.1', classCode: EHDSI_CLASS.patientSummary, mimeType: 'text/xml', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Patient Summary</title></ClinicalDocument>') };
const PRESCRIPTION = { uniqueId: '1.2.40.0.10.99.2', classCode: EHDSI_CLASS.ePrescription, mimeType: 'text/xml', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>ePrescription</title></ClinicalDocument>') };

const DOCTOR = CZECH_DOCTOR;

describe('NCPeH outbound: identify, query, retrieve at a foreign NCP (simulator, mutual TLS)', function () {
  this.timeout(60_000);
  let pki: Pki;
  let cz: TestNcp;
  let ncp: ForeignNcp;
  let issuer: EhdsiAssertionIssuer;
  let endpoints: NcpEndpoints;
  let community: Community;
  let client: NcpClient;

  before(async () => {
    pki = await createPki({ nodes: ['ncp-cz'], revoked: [] });
    cz = await testNcp('CZ', 'urn:oid:1.2.203.24341');
    ncp = await startForeignNcp({
      communityId: AT,
      repositoryUniqueId: '1.2.40.0.10.7',
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
      trustedSignerPem: cz.cert.certificatePem,
      patient: PATIENT,
      documents: [SUMMARY, PRESCRIPTION],
    });
    issuer = cz.issuer;
    endpoints = { homeCommunityId: `urn:oid:${AT}`, party: { deviceId: AT, communityId: AT }, xcpdUrl: ncp.url, queryUrl: ncp.url, retrieveUrl: ncp.url };
    const tlsClient = pki.client('ncp-cz');
    community = { homeCommunityId: `urn:oid:${AT}`, name: 'NCP Austria', xca: { queryUrl: ncp.url, retrieveUrl: ncp.url }, tlsOptions: { ca: pki.ca, cert: tlsClient.cert, key: tlsClient.key, minVersion: 'TLSv1.2' }, auth: { type: 'none' }, timeoutMs: 20_000 };
    client = createNcpClient({ post: communityPost(community), issuer, self: { deviceId: '1.2.203.24341', communityId: '1.2.203.24341' } });
  });
  after(async () => {
    await ncp?.close();
    await pki?.cleanup();
    await cz?.cleanup();
  });

  it('identifies the patient (HCP only), finds the Patient Summary and retrieves it (HCP + TRC for that patient)', async () => {
    const seenBefore = ncp.seen.length;
    const hcp = issuer.hcpAssertion(DOCTOR);
    const patients = await client.identify(endpoints, hcp, { identifiers: [{ root: PATIENT.root, extension: PATIENT.extension }], demographics: { gender: 'F', birthDate: PATIENT.birthDate } });
    assert.equal(patients.length, 1);
    assert.equal(patients[0]!.patientId, PATIENT_CX);
    assert.deepEqual(patients[0]!.demographics, { given: ['Maria'], family: 'Huber', gender: 'F', birthDate: '1980-02-29' });

    const documents = await client.findDocuments(endpoints, hcp, patients[0]!.patientId, [EHDSI_CLASS.patientSummary]);
    assert.equal(documents.length, 1);
    const entry = documents[0] as { uniqueId?: string; repositoryUniqueId?: string; classCode?: { code: string } };
    assert.equal(entry.uniqueId, SUMMARY.uniqueId);
    assert.equal(entry.classCode?.code, EHDSI_CLASS.patientSummary);

    const retrieved = await client.retrieve(endpoints, hcp, patients[0]!.patientId, [{ repositoryUniqueId: entry.repositoryUniqueId!, documentUniqueId: entry.uniqueId! }]);
    assert.equal(retrieved.length, 1);
    assert.deepEqual(retrieved[0]!.content, SUMMARY.content);
    assert.equal(retrieved[0]!.homeCommunityId, `urn:oid:${AT}`);

    const seen = ncp.seen.slice(seenBefore);
    assert.deepEqual(seen.map((s) => s.operation), ['CrossGatewayPatientDiscovery', 'CrossGatewayQuery', 'CrossGatewayRetrieve']);
    assert.deepEqual(seen.map((s) => s.assertions), [['urn:ehdsi:assertions:hcp'], ['urn:ehdsi:assertions:hcp', 'urn:ehdsi:assertions:trc'], ['urn:ehdsi:assertions:hcp', 'urn:ehdsi:assertions:trc']]);
    assert.deepEqual(seen.slice(1).map((s) => s.trcPatient), [PATIENT_CX, PATIENT_CX]);
    assert.ok(seen.every((s) => s.clientCertificateCn === 'ncp-cz.hospital.test'));
  });

  it('finds ePrescriptions by their class; an unknown patient is identified as nobody', async () => {
    const hcp = issuer.hcpAssertion(DOCTOR);
    const prescriptions = await client.findDocuments(endpoints, hcp, PATIENT_CX, [EHDSI_CLASS.ePrescription]);
    assert.deepEqual(prescriptions.map((d) => (d as { uniqueId?: string }).uniqueId), [PRESCRIPTION.uniqueId]);
    assert.deepEqual(await client.identify(endpoints, hcp, { identifiers: [{ root: PATIENT.root, extension: '999' }], demographics: {} }), []);
  });

  it('the NCP refuses a TRC for another patient than the one asked about (a SOAP fault, not retried)', async () => {
    const hcp = issuer.hcpAssertion(DOCTOR);
    await assert.rejects(client.findDocuments(endpoints, hcp, `555^^^&${PATIENT.root}&ISO`, [EHDSI_CLASS.patientSummary]), (err: unknown) => err instanceof NcpCallError && !err.transient && /SOAP fault/.test(err.message));
  });

  it('without the client certificate the NCP does not complete the TLS handshake', async () => {
    const anonymous = createNcpClient({ post: communityPost({ ...community, tlsOptions: { ca: pki.ca } }), issuer, self: { deviceId: '1.2.203.24341' } });
    await assert.rejects(anonymous.identify(endpoints, issuer.hcpAssertion(DOCTOR), { identifiers: [{ root: PATIENT.root, extension: PATIENT.extension }], demographics: {} }), NcpCallError);
  });
});
