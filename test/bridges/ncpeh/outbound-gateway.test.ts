// The NCPeH bridge's outbound half end to end: a gateway process (PostgreSQL schema, bearer
// tokens from a real OIDC provider) whose COMMUNITIES_FILE names a foreign NCP (the simulator,
// mutual TLS with certificates made here with openssl) and whose NCPEH_SIGNING_* key signs the
// HCP and TRC assertions. A Czech doctor identifies an Austrian patient with $ncp-identify,
// finds the Patient Summary through ITI-67 (hcid = the NCP) and through ITI-18 on the Initiating
// Gateway (home = the NCP), and reads it through ITI-68 and ITI-43. The simulator verifies every
// assertion with the signing certificate and refuses a TRC for anybody but the patient asked
// about; the gateway's audit trail names the NCP's country and the doctor.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Element } from '@xmldom/xmldom';
import pg from 'pg';
import { EHDSI_CLASS } from '../../../src/bridges/ncpeh/outbound/ncp-client';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { childNamed, childrenNamed } from '../../../src/soap';
import { XDS_NS } from '../../../src/xds/namespaces';
import { createPki, type Pki } from '../../security/support/pki';
import { testNcp, type TestNcp } from '../../security/support/ehdsi-parties';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../../security/support/oidc-provider';
import { freePort, startGateway, type GatewayProcess } from '../../support/gateway-process';
import { request } from '../../support/mhd-publish';
import { createPgSchema, type PgSchema } from '../../support/pg-schema';
import { needService } from '../../support/services';
import { xml } from '../../xds/support/fixtures';
import { documentRequests, quoted, sendFixture, slot } from '../../xds/support/messages';
import { queryObjects, registryResult } from '../../xds/support/responses';
import { readAll } from '../../xds/support/soap-client';
import { startForeignNcp, type ForeignNcp } from './simulator/foreign-ncp';

const CZ_HCID = 'urn:oid:1.2.203.99.40';
const AT = '1.2.40.0.10';
const AT_HCID = `urn:oid:${AT}`;
/** A second country whose NCP is down: nobody listens on its port. */
const DE_HCID = 'urn:oid:1.2.276.0.76.3.1.999';
const PATIENT = { root: '1.2.40.0.10.1.4.3.1', extension: '1234567890', given: 'Maria', family: 'Huber', gender: 'F' as const, birthDate: '1980-02-29' };
const PATIENT_CX = `${PATIENT.extension}^^^&${PATIENT.root}&ISO`;
const PATIENT_TOKEN = `urn:oid:${PATIENT.root}|${PATIENT.extension}`;
const SUMMARY = { uniqueId: '1.2.40.0.10.99.11', classCode: EHDSI_CLASS.patientSummary, mimeType: 'text/xml', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Patient Summary of Maria Huber</title></ClinicalDocument>') };
const PRESCRIPTION = { uniqueId: '1.2.40.0.10.99.12', classCode: EHDSI_CLASS.ePrescription, mimeType: 'text/xml', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>ePrescription</title></ClinicalDocument>') };
const REPOSITORY = '1.2.40.0.10.7';
const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
/** The provider's subject of the token (its `sub` is not ours to set): the HCP assertion's NameID. */
const DOCTOR_SUBJECT = 'hie-system';
const DOCTOR_CLAIMS = {
  extensions: {
    ihe_iua: {
      subject_name: 'MUDr. Jan Kolář',
      subject_organization: 'Fakultní nemocnice v Motole',
      subject_organization_id: 'urn:oid:1.2.203.24341.11.2.1',
      subject_role: { system: 'urn:oid:2.16.840.1.113883.2.9.6.2.7', code: '221', display: 'Medical Doctors' },
    },
  },
};

interface Bundle {
  total?: number;
  entry?: Array<{ resource: { resourceType: string; identifier?: Array<{ system: string; value: string }>; name?: Array<{ family?: string; given?: string[] }>; gender?: string; birthDate?: string; masterIdentifier?: { value: string }; content?: Array<{ attachment: { url: string } }> }; search?: { mode: string } }>;
}

describe('NCPeH outbound through the gateway: $ncp-identify, ITI-67/68 and ITI-18/43 at a foreign NCP (simulator)', function () {
  this.timeout(180_000);
  let pki: Pki;
  let cz: TestNcp;
  let ncp: ForeignNcp;
  let idp: TestOidcProvider;
  let schema: PgSchema;
  let gw: GatewayProcess;
  let dir: string;
  let doctor: string;

  before(async function () {
    const postgres = await needService(this, 'postgres');
    pki = await createPki({ nodes: ['ncp-cz'], revoked: [] });
    cz = await testNcp('CZ', CZ_HCID);
    ncp = await startForeignNcp({ communityId: AT, repositoryUniqueId: REPOSITORY, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca }, trustedSignerPem: cz.cert.certificatePem, patient: PATIENT, documents: [SUMMARY, PRESCRIPTION] });
    idp = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
    schema = await createPgSchema(postgres, 'ncpo');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hie-ncpeh-'));
    const keyFile = path.join(dir, 'ncp-cz.key');
    await fs.writeFile(keyFile, cz.cert.privateKeyPem, { mode: 0o600 });
    const client = pki.client('ncp-cz');
    const downUrl = `https://127.0.0.1:${await freePort()}/ncp`;
    await fs.writeFile(path.join(dir, 'communities.json'), JSON.stringify({
      [AT_HCID]: { name: 'NCP Austria', xca: { queryUrl: ncp.url, retrieveUrl: ncp.url }, ehdsi: { country: 'AT', xcpdUrl: ncp.url }, tls: { certFile: client.certFile, keyFile: client.keyFile, caFile: pki.caFile }, timeoutMs: 20_000 },
      [DE_HCID]: { name: 'NCP Germany', xca: { queryUrl: downUrl, retrieveUrl: downUrl }, ehdsi: { country: 'DE', xcpdUrl: downUrl }, tls: { certFile: client.certFile, keyFile: client.keyFile, caFile: pki.caFile }, timeoutMs: 5_000 },
    }));
    gw = await startGateway({
      DATABASE_URL: schema.url, HOME_COMMUNITY_ID: CZ_HCID, AUTH: 'on', OAUTH_ISSUERS: idp.issuer, OAUTH_AUDIENCE: DEFAULT_AUDIENCE,
      COMMUNITIES_FILE: path.join(dir, 'communities.json'), COMMUNITY_CALL_ATTEMPTS: '1',
      NCPEH_SIGNING_CERT_FILE: cz.certFile, NCPEH_SIGNING_KEY_FILE: keyFile, NCPEH_COUNTRY: 'CZ',
    });
    doctor = await idp.token({ scope: 'user/*.cruds', claims: DOCTOR_CLAIMS });
  });
  after(async () => {
    await gw?.stop();
    await ncp?.close();
    await idp?.close();
    await schema?.drop().catch(() => undefined);
    await pki?.cleanup();
    await cz?.cleanup();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const identify = (token: string, parameters: object[]) =>
    request(`${gw.baseUrl}/fhir/Patient/$ncp-identify`, { method: 'POST', headers: { ...auth(token), 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Parameters', parameter: parameters }) });
  const maria = [
    { name: 'country', valueCode: 'AT' },
    { name: 'identifier', valueIdentifier: { system: `urn:oid:${PATIENT.root}`, value: PATIENT.extension } },
    { name: 'gender', valueCode: 'female' },
    { name: 'birthDate', valueDate: PATIENT.birthDate },
  ];
  const auditRecords = async (transaction: string, system = 'urn:ihe:event-type-code'): Promise<string[]> => {
    const c = new pg.Client({ connectionString: schema.url });
    await c.connect();
    try {
      return (await c.query<{ r: string }>('SELECT resource::text AS r FROM audit_events WHERE $1 = ANY(subtypes)', [`${system}|${transaction}`])).rows.map((row) => row.r);
    } finally {
      await c.end();
    }
  };

  it('$ncp-identify: the NCP identifies the patient over XCPD with the doctor\'s HCP assertion; audited as ITI-55 initiated with the country', async () => {
    const before = ncp.seen.length;
    const r = await identify(doctor, maria);
    assert.equal(r.status, 200, r.body.toString());
    const bundle = JSON.parse(r.body.toString()) as Bundle;
    assert.equal(bundle.total, 1);
    const patient = bundle.entry![0]!.resource;
    assert.deepEqual(patient.identifier, [{ system: `urn:oid:${PATIENT.root}`, value: PATIENT.extension }]);
    assert.deepEqual(patient.name, [{ family: 'Huber', given: ['Maria'] }]);
    assert.equal(patient.gender, 'female');
    const seen = ncp.seen.slice(before);
    assert.deepEqual(seen.map((s) => [s.operation, s.assertions]), [['CrossGatewayPatientDiscovery', ['urn:ehdsi:assertions:hcp']]]);
    assert.deepEqual(seen[0]!.hcp, { nameId: DOCTOR_SUBJECT, role: '221', organization: 'Fakultní nemocnice v Motole', purposeOfUse: 'TREATMENT' });
    assert.equal(seen[0]!.clientCertificateCn, 'ncp-cz.hospital.test');
    const initiated = (await auditRecords('ITI-55')).filter((t) => t.includes(ncp.url));
    assert.equal(initiated.length, 1);
    assert.match(initiated[0]!, /urn:iso:std:iso:3166/);
    assert.match(initiated[0]!, /"value": ?"AT"/);
    assert.match(initiated[0]!, /MUDr\. Jan Kolář/);
    assert.match(initiated[0]!, new RegExp(PATIENT.extension));
    const served = await auditRecords('NCP-IDENTIFY', 'urn:hie-gateway:event-type-code');
    assert.equal(served.length, 1);
    assert.match(served[0]!, /"value": ?"AT"/);
  });

  it('the CapabilityStatement declares Patient/$ncp-identify', async () => {
    const r = await request(`${gw.baseUrl}/fhir/metadata`, { headers: auth(doctor) });
    assert.equal(r.status, 200);
    const patient = (JSON.parse(r.body.toString()) as { rest: Array<{ resource: Array<{ type: string; operation?: Array<{ name: string }> }> }> }).rest[0]!.resource.find((x) => x.type === 'Patient');
    assert.deepEqual(patient?.operation?.map((o) => o.name), ['ncp-identify']);
  });

  it('$ncp-identify: nobody matched is an empty Bundle; a country without an NCP is 404; bad parameters are 400', async () => {
    const nobody = await identify(doctor, [{ name: 'country', valueCode: 'AT' }, { name: 'identifier', valueIdentifier: { system: `urn:oid:${PATIENT.root}`, value: '999' } }]);
    assert.equal(nobody.status, 200, nobody.body.toString());
    assert.equal((JSON.parse(nobody.body.toString()) as Bundle).total, 0);
    const noNcp = await identify(doctor, [{ name: 'country', valueCode: 'DK' }, maria[1]!]);
    assert.equal(noNcp.status, 404, noNcp.body.toString());
    const noIdentifier = await identify(doctor, [{ name: 'country', valueCode: 'AT' }]);
    assert.equal(noIdentifier.status, 400, noIdentifier.body.toString());
    assert.match(noIdentifier.body.toString(), /at least one identifier/);
  });

  it('$ncp-identify at an NCP that is down: 503 with Retry-After, the failed ITI-55 call audited with its country', async () => {
    const r = await identify(doctor, [{ name: 'country', valueCode: 'DE' }, maria[1]!]);
    assert.equal(r.status, 503, r.body.toString());
    assert.equal(r.headers['retry-after'], '30');
    assert.match(r.body.toString(), /the NCP of DE did not answer/);
    const failed = (await auditRecords('ITI-55')).filter((t) => t.includes('"DE"'));
    assert.equal(failed.length, 1);
    assert.doesNotMatch(failed[0]!, /"outcome": ?"0"/);
  });

  it('a patient-context token, or one without a grant to search Patient, may not identify anybody at a foreign NCP (403, nothing sent)', async () => {
    const before = ncp.seen.length;
    const patientToken = await idp.token({ scope: 'patient/*.rs', patient: 'urn:oid:1.2.203.24341.1.1|7001011234' });
    const r = await identify(patientToken, maria);
    assert.equal(r.status, 403, r.body.toString());
    const documentsOnly = await idp.token({ scope: 'user/DocumentReference.rs user/Binary.r' });
    const noGrant = await identify(documentsOnly, maria);
    assert.equal(noGrant.status, 403, noGrant.body.toString());
    assert.equal(ncp.seen.length, before);
  });

  it('ITI-67 with hcid = the NCP finds the Patient Summary with a TRC for the patient named; ITI-68 reads it through ITI-39 into the cache', async () => {
    const before = ncp.seen.length;
    const search = await request(`${gw.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(PATIENT_TOKEN)}&status=current&hcid=${encodeURIComponent(AT_HCID)}`, { headers: auth(doctor) });
    assert.equal(search.status, 200, search.body.toString());
    const matches = (JSON.parse(search.body.toString()) as Bundle).entry!.filter((e) => e.search?.mode === 'match').map((e) => e.resource);
    assert.deepEqual(matches.map((m) => m.masterIdentifier?.value).sort(), [SUMMARY, PRESCRIPTION].map((d) => `urn:oid:${d.uniqueId}`).sort());
    const summary = matches.find((m) => m.masterIdentifier?.value === `urn:oid:${SUMMARY.uniqueId}`)!;
    const read = await request(summary.content![0]!.attachment.url, { headers: auth(doctor) });
    assert.equal(read.status, 200, read.body.toString());
    assert.deepEqual(read.body, SUMMARY.content);
    const seen = ncp.seen.slice(before);
    // Kept in the remote-document cache: a second read asks the NCP nothing.
    const again = await request(summary.content![0]!.attachment.url, { headers: auth(doctor) });
    assert.equal(again.status, 200, again.body.toString());
    assert.deepEqual(again.body, SUMMARY.content);
    assert.equal(ncp.seen.length, before + seen.length);
    assert.ok(seen.some((s) => s.operation === 'CrossGatewayQuery'));
    assert.ok(seen.some((s) => s.operation === 'CrossGatewayRetrieve'));
    for (const s of seen) {
      assert.deepEqual(s.assertions, ['urn:ehdsi:assertions:hcp', 'urn:ehdsi:assertions:trc']);
      assert.equal(s.trcPatient, PATIENT_CX);
      assert.equal(s.hcp?.nameId, DOCTOR_SUBJECT);
    }
    const queries = (await auditRecords('ITI-38')).filter((t) => t.includes(ncp.url));
    assert.ok(queries.length >= 1);
    assert.ok(queries.every((t) => /urn:iso:std:iso:3166/.test(t) && /MUDr\. Jan Kolář/.test(t)));
    assert.ok((await auditRecords('ITI-39')).some((t) => t.includes(ncp.url) && /urn:iso:std:iso:3166/.test(t)));
    // The doctor's own requests name the country asked as a participant too.
    assert.ok((await auditRecords('ITI-67')).some((t) => /"display": ?"responding country"/.test(t) && /"value": ?"AT"/.test(t)));
    assert.ok((await auditRecords('ITI-68')).some((t) => /"display": ?"responding country"/.test(t) && t.includes(SUMMARY.uniqueId)));
  });

  it('ITI-18 on the Initiating Gateway with home = the NCP finds the ePrescription; ITI-43 retrieves it through ITI-39', async () => {
    const before = ncp.seen.length;
    const slots = xml([slot('$XDSDocumentEntryPatientId', quoted(PATIENT_CX)), slot('$XDSDocumentEntryStatus', quoted(APPROVED)), slot('$XDSDocumentEntryClassCode', quoted(`${EHDSI_CLASS.ePrescription}^^2.16.840.1.113883.6.1`))].join('\n'));
    const reply = await sendFixture(gw.baseUrl, 'initiatingGateway', 'iti18-stored-query-home.xml', { QUERY_ID: StoredQueryId.FindDocuments, RETURN_TYPE: 'LeafClass', SLOTS: slots, HOME: AT_HCID }, { headers: auth(doctor) });
    const entries = queryObjects(reply).filter((e) => e.localName === 'ExtrinsicObject');
    const uniqueIds = entries.map((o) => childrenNamed(o, XDS_NS.rim, 'ExternalIdentifier').find((i) => i.getAttribute('identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab')!.getAttribute('value'));
    assert.deepEqual(uniqueIds, [PRESCRIPTION.uniqueId]);
    assert.equal(entries[0]!.getAttribute('home'), AT_HCID);

    const retrieved = await sendFixture(gw.baseUrl, 'initiatingGateway', 'iti43-retrieve-many.xml', { DOCUMENT_REQUESTS: documentRequests([{ homeCommunityId: AT_HCID, repositoryUniqueId: REPOSITORY, documentUniqueId: PRESCRIPTION.uniqueId }]) }, { headers: auth(doctor) });
    try {
      assert.equal(registryResult(retrieved).status, 'Success');
      const responses = childrenNamed(retrieved.payload, XDS_NS.xdsb, 'DocumentResponse');
      assert.equal(responses.length, 1);
      assert.equal(childNamed(responses[0]!, XDS_NS.xdsb, 'HomeCommunityId')!.textContent!.trim(), AT_HCID);
      assert.deepEqual(await readAll(retrieved.message.binary(childNamed(responses[0]!, XDS_NS.xdsb, 'Document') as Element).open()), PRESCRIPTION.content);
    } finally {
      await retrieved.message.dispose();
    }
    const seen = ncp.seen.slice(before);
    assert.deepEqual(seen.map((s) => s.operation), ['CrossGatewayQuery', 'CrossGatewayRetrieve']);
    assert.ok(seen.every((s) => s.trcPatient === PATIENT_CX));
  });
});
