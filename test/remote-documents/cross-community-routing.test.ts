// MHD routed by homeCommunityId between gateway processes on loopback, each with its own
// PostgreSQL schema: gateway A (plain HTTP, bearer tokens from a real OIDC provider) asks
// community B (HTTPS, mutual TLS with a CA the test makes) over MHD or over XCA, and a
// community C whose server is down. A search with hcid merges B's documents (tagged with B's homeCommunityId,
// their URLs routed back through A) and a warning entry for C; ITI-68 of B's document through
// A is fetched once into A's cache and then served from it (B's audit trail shows one read);
// a patient token never reaches another patient's remote document, cached or not.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startGateway, type GatewayProcess } from '../support/gateway-process';
import { newRid, publishDocument, request, RID_SYSTEM, type Published } from '../support/mhd-publish';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needService } from '../support/services';
import { createPki, type Pki } from '../security/support/pki';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../security/support/oidc-provider';

const A_HCID = 'urn:oid:1.2.203.99.1';
const B_HCID = 'urn:oid:1.2.203.99.2';
const C_HCID = 'urn:oid:1.2.203.99.3';
const B_REPOSITORY = '1.2.203.99.2.1';
const CZ_HCID_EXTENSION = 'https://hl7.cz/fhir/hie/StructureDefinition/cz-mhd-home-community-id';

interface Resource {
  resourceType: string;
  extension?: Array<{ url: string; valueIdentifier?: { value: string }; valueOid?: string }>;
  masterIdentifier?: { value: string };
  content?: Array<{ attachment: { url: string } }>;
  issue?: Array<{ severity: string; code: string; diagnostics: string }>;
}
interface SearchBundle {
  entry?: Array<{ resource: Resource; search: { mode: string } }>;
}

const hcidOf = (r: Resource) => r.extension?.find((e) => e.url === CZ_HCID_EXTENSION)?.valueIdentifier?.value;

async function sql<R>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as R[];
  } finally {
    await c.end();
  }
}

/** How A reaches B: B's MHD server (ITI-67/68), or its XCA Responding Gateway (ITI-38/39). */
for (const via of ['mhd', 'xca'] as const) describe(`MHD across communities, B reached over ${via.toUpperCase()}: hcid search and remote ITI-68 through the cache`, function () {
  this.timeout(180_000);
  let pki: Pki;
  let idp: TestOidcProvider;
  let schemas: PgSchema[] = [];
  let a: GatewayProcess;
  let b: GatewayProcess;
  let dir: string;
  let p1: Published;
  let p2: Published;
  let p1b: Published;
  let system: string;

  before(async function () {
    const postgres = await needService(this, 'postgres');
    pki = await createPki({ nodes: ['gateway-a', 'client'], revoked: [] });
    idp = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
    schemas = [await createPgSchema(postgres, 'xa'), await createPgSchema(postgres, 'xb')];
    const client = pki.client('client');
    b = await startGateway(
      { DATABASE_URL: schemas[1]!.url, HOME_COMMUNITY_ID: B_HCID, REPOSITORY_UNIQUE_ID: B_REPOSITORY, AUTH: 'on', TLS_CERT: pki.serverCertFile, TLS_KEY: pki.serverKeyFile, TLS_CLIENT_CA: pki.caFile },
      { ca: pki.ca, cert: client.cert, key: client.key },
    );
    const clientTls = { ca: pki.ca, cert: client.cert, key: client.key };
    p1 = await publishDocument(`${b.baseUrl}/fhir`, newRid(), crypto.randomBytes(300_000), clientTls, 'application/pdf');
    p1b = await publishDocument(`${b.baseUrl}/fhir`, p1.rid, Buffer.from('second document of patient 1'), clientTls);
    p2 = await publishDocument(`${b.baseUrl}/fhir`, newRid(), Buffer.from('patient 2 only'), clientTls);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hie-xc-'));
    const gatewayCert = pki.client('gateway-a');
    const tls = { certFile: gatewayCert.certFile, keyFile: gatewayCert.keyFile, caFile: pki.caFile };
    const directory = {
      [B_HCID]: { name: 'Nemocnice B', ...(via === 'mhd' ? { mhd: { baseUrl: `${b.baseUrl}/fhir` } } : { xca: { queryUrl: `${b.baseUrl}/xca/responding-gateway`, retrieveUrl: `${b.baseUrl}/xca/responding-gateway` } }), tls, timeoutMs: 10_000 },
      [C_HCID]: { name: 'Nemocnice C (down)', mhd: { baseUrl: `https://127.0.0.1:${await freePort()}/fhir` }, tls, timeoutMs: 2_000 },
    };
    await fs.writeFile(path.join(dir, 'communities.json'), JSON.stringify(directory));
    a = await startGateway({
      DATABASE_URL: schemas[0]!.url, HOME_COMMUNITY_ID: A_HCID, AUTH: 'on', OAUTH_ISSUERS: idp.issuer, OAUTH_AUDIENCE: DEFAULT_AUDIENCE,
      COMMUNITIES_FILE: path.join(dir, 'communities.json'), COMMUNITY_CALL_ATTEMPTS: '1',
    });
    system = await idp.token({ scope: 'system/*.cruds' });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await idp?.close();
    await pki?.cleanup();
    for (const s of schemas) await s.drop().catch(() => undefined);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, token: string) => request(url, { headers: { authorization: `Bearer ${token}` } });
  const searchA = async (rid: string, hcid: string, token = system) => {
    const r = await get(`${a.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}&status=current&hcid=${encodeURIComponent(hcid)}`, token);
    assert.equal(r.status, 200, r.body.toString());
    return JSON.parse(r.body.toString()) as SearchBundle;
  };
  const urlOf = (bundle: SearchBundle, doc: Published) => bundle.entry!.map((e) => e.resource).find((r) => r.masterIdentifier?.value === `urn:oid:${doc.documentUniqueId}`)!.content![0]!.attachment.url;
  /** Successful reads of the document in B's trail (ITI-68 over MHD, ITI-39 over XCA). */
  const readsAtB = async (doc: Published) =>
    // count(*) is a bigint: a string from pg, a number once the store's type parser is loaded.
    Number((await sql<{ n: string | number }>(schemas[1]!.url, 'SELECT count(*) AS n FROM audit_events WHERE $1 = ANY(subtypes) AND outcome = \'0\' AND resource::text LIKE $2', [`urn:ihe:event-type-code|${via === 'mhd' ? 'ITI-68' : 'ITI-39'}`, `%${doc.documentUniqueId}%`]))[0]!.n);

  it('a search naming B answers B\'s documents, each tagged with B\'s homeCommunityId and routed back through A', async () => {
    const bundle = await searchA(p1.rid, B_HCID);
    const matches = bundle.entry!.filter((e) => e.search.mode === 'match').map((e) => e.resource);
    assert.deepEqual(matches.map((r) => r.masterIdentifier!.value).sort(), [p1, p1b].map((d) => `urn:oid:${d.documentUniqueId}`).sort());
    for (const r of matches) {
      assert.equal(hcidOf(r), B_HCID);
      const url = new URL(r.content![0]!.attachment.url);
      assert.equal(url.origin, a.baseUrl);
      assert.equal(url.searchParams.get('homeCommunityId'), B_HCID);
      assert.equal(url.searchParams.get('repositoryUniqueId'), B_REPOSITORY);
    }
  });

  it('a community that is down is an OperationOutcome entry with a warning and its homeCommunityId; B still answers', async () => {
    const bundle = await searchA(p1.rid, `${B_HCID},${C_HCID}`);
    assert.equal(bundle.entry!.filter((e) => e.search.mode === 'match').length, 2);
    const outcomes = bundle.entry!.filter((e) => e.search.mode === 'outcome').map((e) => e.resource);
    const ofC = outcomes.find((o) => hcidOf(o) === C_HCID);
    assert.ok(ofC, JSON.stringify(outcomes));
    assert.equal(ofC.issue![0]!.severity, 'warning');
    assert.match(ofC.issue![0]!.diagnostics, /XDSUnavailableCommunity/);
  });

  it('an hcid naming only unknown communities is a 400 OperationOutcome', async () => {
    const r = await get(`${a.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${p1.rid}`)}&status=current&hcid=urn:oid:1.2.203.99.404`, system);
    assert.equal(r.status, 400);
    assert.match(r.body.toString(), /not in this gateway's community directory/);
  });

  it('ITI-68 of B\'s document through A: fetched once into the cache, then served from it', async () => {
    const url = urlOf(await searchA(p1.rid, B_HCID), p1);
    const first = await get(url, system);
    assert.equal(first.status, 200, first.body.toString());
    assert.equal(first.headers['x-cache'], 'MISS');
    assert.equal(first.headers['content-type'], 'application/pdf');
    assert.ok(first.body.equals(p1.content));
    const second = await get(url, system);
    assert.equal(second.status, 200);
    assert.equal(second.headers['x-cache'], 'HIT');
    assert.ok(second.body.equals(p1.content));
    assert.equal(await readsAtB(p1), 1, 'B served the document once');
    const metrics = (await request(`${a.baseUrl}/metrics`)).body.toString();
    assert.match(metrics, /hie_remote_cache_reads_total\{result="miss"\} 1\n/);
    assert.match(metrics, /hie_remote_cache_reads_total\{result="hit"\} 1\n/);
    assert.match(metrics, new RegExp(`hie_remote_cache_bytes ${p1.content.length}\\n`));
    // A's record of the read names B as a participant, and the patient.
    const records = await sql<{ resource: { agent: Array<{ who?: { identifier?: { value: string } } }> } }>(schemas[0]!.url, "SELECT resource FROM audit_events WHERE 'urn:ihe:event-type-code|ITI-68' = ANY(subtypes) AND outcome = '0' AND resource::text LIKE $1", [`%${p1.documentUniqueId}%`]);
    assert.equal(records.length, 2);
    for (const r of records) assert.ok(r.resource.agent.some((g) => g.who?.identifier?.value === B_HCID), JSON.stringify(r.resource.agent));
  });

  it('a cached copy that no longer matches what B reports is dropped at the next search and fetched again', async () => {
    // A's copy now disagrees with B's metadata, as after B's document changed under the same uniqueId.
    await sql(schemas[0]!.url, "UPDATE remote_document_cache SET hash = repeat('0', 40) WHERE document_unique_id = $1", [p1.documentUniqueId]);
    const url = urlOf(await searchA(p1.rid, B_HCID), p1);
    assert.deepEqual(await sql(schemas[0]!.url, 'SELECT 1 FROM remote_document_cache WHERE document_unique_id = $1', [p1.documentUniqueId]), []);
    const again = await get(url, system);
    assert.equal(again.status, 200);
    assert.equal(again.headers['x-cache'], 'MISS');
    assert.ok(again.body.equals(p1.content));
    assert.equal(await readsAtB(p1), 2);
    assert.equal((await get(url, system)).headers['x-cache'], 'HIT');
  });

  it('a patient token reaches its own patient\'s remote document and never another patient\'s, cached or not', async () => {
    const ofP2 = await idp.token({ scope: 'user/*.cruds', patient: `${RID_SYSTEM}|${p2.rid}` });
    const ofP1 = await idp.token({ scope: 'user/*.cruds', patient: `${RID_SYSTEM}|${p1.rid}` });
    const bundle = await searchA(p1.rid, B_HCID);
    // p1's first document is cached by now (previous test), p1b is not.
    for (const doc of [p1, p1b]) {
      const refused = await get(urlOf(bundle, doc), ofP2);
      assert.equal(refused.status, 404, refused.body.toString());
    }
    assert.equal(await readsAtB(p1b), 0, 'nothing was fetched for the refused caller');
    const own = await get(urlOf(bundle, p1b), ofP1);
    assert.equal(own.status, 200, own.body.toString());
    assert.ok(own.body.equals(p1b.content));
    // Its search of another patient asks no community.
    const other = await searchA(p1.rid, B_HCID, ofP2);
    assert.equal((other.entry ?? []).filter((e) => e.search.mode === 'match').length, 0);
  });
});
