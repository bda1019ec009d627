// The eHDSI community transport against the foreign-NCP simulator (mutual TLS, certificates made
// here): which patient each request's TRC names, and the requests it refuses before anything is
// sent; the HCP identity of a local caller (the documented mapping rule); the outbound settings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Community } from '../../../src/communities/community';
import { CommunityCallError, type CallerIdentity } from '../../../src/communities/ports';
import { EhdsiTransport } from '../../../src/bridges/ncpeh/outbound/ehdsi-transport';
import { HcpAssertions } from '../../../src/bridges/ncpeh/outbound/hcp-assertions';
import { hcpOfCaller } from '../../../src/bridges/ncpeh/outbound/hcp-of-caller';
import { EHDSI_CLASS } from '../../../src/bridges/ncpeh/outbound/ncp-client';
import { parseNcpehOutboundConfig } from '../../../src/ncpeh-config';
import type { StoredQuery } from '../../../src/domain/stored-queries';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { EndpointTransport } from '../../../src/remote-mhd/endpoint-transport';
import { collectBytes } from '../../../src/bytes';
import { createPki, type Pki } from '../../security/support/pki';
import { testNcp, type TestNcp } from '../../security/support/ehdsi-parties';
import { runGatewayToExit } from '../../support/gateway-process';
import { startForeignNcp, type ForeignNcp } from './simulator/foreign-ncp';

const CZ_HCID = 'urn:oid:1.2.203.24341';
const AT = '1.2.40.0.10';
const PATIENT = { root: '1.2.40.0.10.1.4.3.1', extension: '1234567890', given: 'Maria', family: 'Huber', gender: 'F' as const, birthDate: '1980-02-29' };
const PATIENT_CX = `${PATIENT.extension}^^^&${PATIENT.root}&ISO`;
const SUMMARY = { uniqueId: '1.2.40.0.10.99.21', classCode: EHDSI_CLASS.patientSummary, mimeType: 'text/xml', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>PS</title></ClinicalDocument>') };
const DEFAULTS = { facilityType: 'Hospital', homeCommunityId: CZ_HCID };
const CALLER: CallerIdentity = { professional: { subject: 'dr.novak', displayName: 'MUDr. Jan Novák', organization: { id: 'urn:oid:1.2.203.1', name: 'Nemocnice Na Homolce' } } };

const findDocuments = (patientIds: string[]): StoredQuery => ({
  name: 'FindDocuments',
  queryId: StoredQueryId.FindDocuments,
  returnType: 'LeafClass',
  metadataLevel: 1,
  documents: { patientIds, statuses: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'], objectTypes: ['urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1'] },
} as StoredQuery);

const refused = (pattern: RegExp) => (err: unknown) => err instanceof CommunityCallError && !err.transient && pattern.test(err.message);

describe('NCPeH outbound: the HCP identity of a local caller', () => {
  it('keeps an ISCO-08 role, otherwise states 221 Medical Doctors; the organisation is the caller\'s, else this NCP\'s community', () => {
    const withIsco = hcpOfCaller({ subject: 'p', role: { code: '2262', scheme: 'urn:oid:2.16.840.1.113883.2.9.6.2.7', display: 'Pharmacists' } }, DEFAULTS);
    assert.deepEqual(withIsco.role, { code: '2262', displayName: 'Pharmacists' });
    assert.equal(withIsco.name, 'p');
    assert.equal(withIsco.organizationId, CZ_HCID);
    const snomed = hcpOfCaller({ ...CALLER.professional!, role: { code: '309343006', scheme: 'urn:oid:2.16.840.1.113883.6.96' } }, DEFAULTS);
    assert.deepEqual(snomed.role, { code: '221', displayName: 'Medical Doctors' });
    assert.equal(snomed.organization, 'Nemocnice Na Homolce');
    assert.equal(snomed.organizationId, 'urn:oid:1.2.203.1');
    assert.equal(snomed.facilityType, 'Hospital');
    assert.equal(snomed.purposeOfUse, 'TREATMENT');
  });

  it('states EMERGENCY for break-the-glass and for a purpose of use coded EMERGENCY or ETREAT', () => {
    assert.equal(hcpOfCaller({ subject: 'x', emergency: true }, DEFAULTS).purposeOfUse, 'EMERGENCY');
    assert.equal(hcpOfCaller({ subject: 'x', purposeOfUse: [{ code: 'ETREAT', scheme: 'http://terminology.hl7.org/CodeSystem/v3-ActReason' }] }, DEFAULTS).purposeOfUse, 'EMERGENCY');
    assert.equal(hcpOfCaller({ subject: 'x', purposeOfUse: [{ code: 'TREAT', scheme: 'x' }] }, DEFAULTS).purposeOfUse, 'TREATMENT');
  });
});

describe('NCPeH outbound: HCP assertions reused per professional', () => {
  it('signs once per professional within 30 minutes, then anew; another professional gets their own', async () => {
    const cz = await testNcp('CZ', CZ_HCID);
    try {
      let t = 0;
      let signed = 0;
      const counting = { ...cz.issuer, hcpAssertion: (hcp: Parameters<typeof cz.issuer.hcpAssertion>[0]) => (signed++, cz.issuer.hcpAssertion(hcp)) };
      const hcps = new HcpAssertions(counting, () => t);
      const novak = hcpOfCaller(CALLER.professional!, DEFAULTS);
      const first = hcps.of(novak);
      t = 29 * 60_000;
      assert.equal(hcps.of({ ...novak }).id, first.id);
      assert.notEqual(hcps.of({ ...novak, nameId: 'dr.other' }).id, first.id);
      t = 31 * 60_000;
      assert.notEqual(hcps.of(novak).id, first.id);
      assert.equal(signed, 3);
    } finally {
      await cz.cleanup();
    }
  });
});

describe('NCPeH outbound settings (NCPEH_SIGNING_CERT_FILE ...)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncpeh-config-'));
  const cert = path.join(dir, 'cert.pem');
  fs.writeFileSync(cert, 'PEM');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('unset means no outbound eHDSI; set, reads the files with country CZ and facility type Hospital by default', () => {
    assert.equal(parseNcpehOutboundConfig({}), undefined);
    assert.deepEqual(parseNcpehOutboundConfig({ NCPEH_SIGNING_CERT_FILE: cert, NCPEH_SIGNING_KEY_FILE: cert }), { signingCertPem: 'PEM', signingKeyPem: 'PEM', country: 'CZ', facilityType: 'Hospital' });
  });

  it('a signing key that does not belong to its certificate stops the gateway before it starts a store', async function () {
    this.timeout(30_000);
    const [a, b] = [await testNcp('CZ', CZ_HCID), await testNcp('CZ', CZ_HCID, 'other')];
    try {
      const otherKey = path.join(dir, 'other.key');
      fs.writeFileSync(otherKey, b.cert.privateKeyPem);
      const { code, output } = await runGatewayToExit({ NCPEH_SIGNING_CERT_FILE: a.certFile, NCPEH_SIGNING_KEY_FILE: otherKey, DATA_DIR: path.join(dir, 'data'), HOST: '127.0.0.1', PORT: '0' });
      assert.equal(code, 1);
      assert.match(output, /signing key does not belong to the certificate/);
      assert.equal(fs.existsSync(path.join(dir, 'data')), false, 'a store was started');
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('refuses a missing key file, a country that is no ISO code and an unknown facility type, naming the variable', () => {
    assert.throws(() => parseNcpehOutboundConfig({ NCPEH_SIGNING_CERT_FILE: cert }), /NCPEH_SIGNING_KEY_FILE is required/);
    assert.throws(() => parseNcpehOutboundConfig({ NCPEH_SIGNING_CERT_FILE: cert, NCPEH_SIGNING_KEY_FILE: path.join(dir, 'none') }), /NCPEH_SIGNING_KEY_FILE: cannot read/);
    assert.throws(() => parseNcpehOutboundConfig({ NCPEH_SIGNING_CERT_FILE: cert, NCPEH_SIGNING_KEY_FILE: cert, NCPEH_COUNTRY: 'cz' }), /NCPEH_COUNTRY/);
    assert.throws(() => parseNcpehOutboundConfig({ NCPEH_SIGNING_CERT_FILE: cert, NCPEH_SIGNING_KEY_FILE: cert, NCPEH_FACILITY_TYPE: 'Clinic' }), /NCPEH_FACILITY_TYPE/);
  });
});

describe('NCPeH outbound: the eHDSI community transport (simulator, mutual TLS)', function () {
  this.timeout(60_000);
  let pki: Pki;
  let cz: TestNcp;
  let ncp: ForeignNcp;
  let community: Community;
  let transport: EhdsiTransport;
  const signal = () => AbortSignal.timeout(20_000);

  before(async () => {
    pki = await createPki({ nodes: ['ncp-cz'], revoked: [] });
    cz = await testNcp('CZ', CZ_HCID);
    ncp = await startForeignNcp({ communityId: AT, repositoryUniqueId: '1.2.40.0.10.7', tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca }, trustedSignerPem: cz.cert.certificatePem, patient: PATIENT, documents: [SUMMARY] });
    const client = pki.client('ncp-cz');
    community = { homeCommunityId: `urn:oid:${AT}`, name: 'NCP Austria', xca: { queryUrl: ncp.url, retrieveUrl: ncp.url }, ehdsi: { country: 'AT', xcpdUrl: ncp.url }, tlsOptions: { ca: pki.ca, cert: client.cert, key: client.key, minVersion: 'TLSv1.2' }, auth: { type: 'none' }, timeoutMs: 20_000 };
    transport = new EhdsiTransport({ issuer: cz.issuer, hcpDefaults: DEFAULTS });
  });
  after(async () => {
    await ncp?.close();
    await pki?.cleanup();
    await cz?.cleanup();
  });

  it('refuses, before sending anything, a document the patient of which it has not found, several patients, other queries and an unknown caller', async () => {
    const before = ncp.seen.length;
    const byUniqueId = { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: ['1.2.3.4'] } } as StoredQuery;
    await assert.rejects(transport.query(community, byUniqueId, CALLER, signal()), refused(/find the patient's documents first/));
    await assert.rejects(transport.retrieve(community, [{ homeCommunityId: community.homeCommunityId, repositoryUniqueId: '1.2.40.0.10.7', documentUniqueId: '1.2.3.4' }], CALLER, signal()), refused(/find the patient's documents first/));
    await assert.rejects(transport.query(community, findDocuments([PATIENT_CX, `1^^^&${PATIENT.root}&ISO`]), CALLER, signal()), refused(/exactly one foreign patient/));
    const submissionSets = { name: 'FindSubmissionSets', queryId: StoredQueryId.FindSubmissionSets, returnType: 'LeafClass', metadataLevel: 1, submissionSets: { patientIds: [PATIENT_CX] } } as StoredQuery;
    await assert.rejects(transport.query(community, submissionSets, CALLER, signal()), refused(/not FindSubmissionSets/));
    await assert.rejects(transport.query(community, findDocuments([PATIENT_CX]), {}, signal()), refused(/health professional/));
    assert.equal(ncp.seen.length, before);
  });

  it('finds the patient\'s documents with a TRC for that patient, then looks up and retrieves them with a TRC for the same patient', async () => {
    const before = ncp.seen.length;
    const found = await transport.query(community, findDocuments([PATIENT_CX]), CALLER, signal());
    assert.deepEqual(found.objects.map((o) => (o as { uniqueId?: string }).uniqueId), [SUMMARY.uniqueId]);
    const byUniqueId = { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', metadataLevel: 1, documentIds: { by: 'uniqueId', values: [SUMMARY.uniqueId] } } as StoredQuery;
    await transport.query(community, byUniqueId, CALLER, signal());
    const answer = await transport.retrieve(community, [{ homeCommunityId: community.homeCommunityId, repositoryUniqueId: '1.2.40.0.10.7', documentUniqueId: SUMMARY.uniqueId }], CALLER, signal());
    assert.deepEqual(await collectBytes(answer.documents[0]!.open()), SUMMARY.content);
    await answer.dispose();
    const seen = ncp.seen.slice(before);
    assert.deepEqual(seen.map((s) => s.operation), ['CrossGatewayQuery', 'CrossGatewayQuery', 'CrossGatewayRetrieve']);
    assert.ok(seen.every((s) => s.trcPatient === PATIENT_CX && s.hcp?.nameId === 'dr.novak' && s.hcp.organization === 'Nemocnice Na Homolce'));
  });

  it('the NCP\'s refusal of a TRC for another patient is a refusal (not transient)', async () => {
    await assert.rejects(transport.query(community, findDocuments([`555^^^&${PATIENT.root}&ISO`]), CALLER, signal()), refused(/SOAP fault/));
  });

  it('EndpointTransport sends an NCP entry only through the eHDSI transport, and refuses it without one', async () => {
    const xcaCalls: string[] = [];
    const xca = { query: async () => { xcaCalls.push('query'); throw new Error('not this one'); }, retrieve: async () => { throw new Error('not this one'); } };
    await assert.rejects(new EndpointTransport({ xca }).query(community, findDocuments([PATIENT_CX]), CALLER, signal()), refused(/NCPEH_SIGNING_CERT_FILE unset/));
    const answer = await new EndpointTransport({ xca, ehdsi: transport }).query(community, findDocuments([PATIENT_CX]), CALLER, signal());
    assert.equal(answer.objects.length, 1);
    assert.deepEqual(xcaCalls, []);
  });
});
