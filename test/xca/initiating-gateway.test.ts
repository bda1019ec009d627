// XCA Initiating Gateway across three gateway processes on loopback, each its own community:
// A (PostgreSQL schema, BullMQ on a throwaway Redis) asks B (another schema, its own Redis
// database) and C (the embedded PostgreSQL server, in-process jobs) over mutual TLS with a CA
// made here with openssl. A local consumer's ITI-18 and ITI-43 at A's /xca/initiating-gateway
// come back merged with home on every object; B killed gives PartialSuccess with
// XDSUnavailableCommunity and recovers once restarted; C frozen (SIGSTOP) runs into its
// timeout, then into its circuit breaker, shown in /health and /metrics.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Queue } from 'bullmq';
import pg from 'pg';
import type { Element } from '@xmldom/xmldom';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { childNamed, childrenNamed } from '../../src/soap';
import { XDS_NS } from '../../src/xds/namespaces';
import { createPki, type Pki } from '../security/support/pki';
import { freePort, startGateway, type GatewayProcess } from '../support/gateway-process';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needRedisServer, startRedis, type RedisProcess } from '../support/redis-process';
import { needService } from '../support/services';
import { TEST_AUTHORITY } from '../support/metadata-builders';
import { xml } from '../xds/support/fixtures';
import { documentRequests, provideSingle, quoted, sendFixture, slot } from '../xds/support/messages';
import { queryObjects, registryResult } from '../xds/support/responses';
import { readAll, type SoapReply } from '../xds/support/soap-client';

const HOME = { A: 'urn:oid:1.2.203.99.11', B: 'urn:oid:1.2.203.99.12', C: 'urn:oid:1.2.203.99.13' } as const;
type Name = keyof typeof HOME;
const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
/** Each remote call's budget at A: short, so the frozen community's timeouts keep the test quick. */
const TIMEOUT_MS = 1_500;
const COOL_DOWN_MS = 3_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('XCA Initiating Gateway: three communities on loopback (mutual TLS, Redis, PostgreSQL + embedded)', function () {
  this.timeout(120_000);
  let pki: Pki;
  let redis: RedisProcess;
  let schemas: Partial<Record<Name, PgSchema>> = {};
  const gw: Partial<Record<Name, GatewayProcess>> = {};
  const env: Partial<Record<Name, Record<string, string>>> = {};
  let agent: https.Agent;
  let dir = '';
  const patient = `${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}^^^&${TEST_AUTHORITY}&ISO`;
  const other = `${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}^^^&${TEST_AUTHORITY}&ISO`;
  const published: Partial<Record<Name, { uid: string; repository: string; content: Buffer }>> = {};

  const start = async (name: Name) => {
    gw[name] = await startGateway(env[name]!, { ca: pki.ca, cert: pki.client('node-2').cert, key: pki.client('node-2').key });
  };

  before(async function () {
    const postgresUrl = await needService(this, 'postgres');
    const redisBinary = needRedisServer(this);
    pki = await createPki({ nodes: ['node-1', 'node-2'], revoked: [] });
    agent = new https.Agent({ ca: pki.ca, cert: pki.client('node-2').cert, key: pki.client('node-2').key, keepAlive: true });
    redis = await startRedis(redisBinary);
    schemas = { A: await createPgSchema(postgresUrl, 'xca_a'), B: await createPgSchema(postgresUrl, 'xca_b') };
    dir = await mkdtemp(path.join(os.tmpdir(), 'xca-initiating-'));
    const ports = { A: await freePort(), B: await freePort(), C: await freePort() };
    const gateway = (node: Name) => `https://127.0.0.1:${ports[node]}/xca/responding-gateway`;
    const node1 = pki.client('node-1');
    const entry = (name: Name) => ({
      name: `community ${name}`,
      xca: { queryUrl: gateway(name), retrieveUrl: gateway(name) },
      tls: { certFile: node1.certFile, keyFile: node1.keyFile, caFile: pki.caFile },
      timeoutMs: TIMEOUT_MS,
    });
    const communitiesFile = path.join(dir, 'communities.json');
    await writeFile(communitiesFile, JSON.stringify({ [HOME.B]: entry('B'), [HOME.C]: entry('C') }));
    const common = {
      TLS_CERT: pki.serverCertFile, TLS_KEY: pki.serverKeyFile, TLS_CLIENT_CA: pki.caFile,
      PATIENT_CHECK: 'any', COMMUNITY_CIRCUIT_FAILURES: '2', COMMUNITY_CIRCUIT_COOLDOWN_MS: String(COOL_DOWN_MS), LOG_LEVEL: 'warn',
    };
    env.A = { ...common, PORT: String(ports.A), HOME_COMMUNITY_ID: HOME.A, DATABASE_URL: schemas.A!.url, REDIS_URL: `${redis.url}/1`, COMMUNITIES_FILE: communitiesFile, DATA_DIR: path.join(dir, 'a') };
    env.B = { ...common, PORT: String(ports.B), HOME_COMMUNITY_ID: HOME.B, DATABASE_URL: schemas.B!.url, REDIS_URL: `${redis.url}/2`, DATA_DIR: path.join(dir, 'b') };
    env.C = { ...common, PORT: String(ports.C), HOME_COMMUNITY_ID: HOME.C, DATA_DIR: path.join(dir, 'c') };
    await Promise.all((['A', 'B', 'C'] as const).map(start));
    for (const name of ['A', 'B', 'C'] as const) {
      const content = Buffer.from(`Propouštěcí zpráva z komunity ${name}\n`);
      const { reply, submitted } = await provideSingle(gw[name]!.baseUrl, { patient, content }, { agent });
      assert.equal(registryResult(reply).status, 'Success', `publish at ${name}`);
      published[name] = { uid: submitted.docUid, repository: '', content };
    }
    const { reply } = await provideSingle(gw.B!.baseUrl, { patient: other, content: Buffer.from('another patient') }, { agent });
    assert.equal(registryResult(reply).status, 'Success');
  });

  after(async () => {
    for (const g of Object.values(gw)) {
      if (g?.child.exitCode === null) g.child.kill('SIGCONT');
    }
    await Promise.all(Object.values(gw).map((g) => g?.stop()));
    agent?.destroy();
    await redis?.kill();
    await Promise.all(Object.values(schemas).map((s) => s?.drop()));
    await pki?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const findDocuments = (home?: string, returnType = 'LeafClass'): Promise<SoapReply> => {
    const slots = xml([slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))].join('\n'));
    const values = { QUERY_ID: StoredQueryId.FindDocuments, RETURN_TYPE: returnType, SLOTS: slots, ...(home ? { HOME: home } : {}) };
    return sendFixture(gw.A!.baseUrl, 'initiatingGateway', home ? 'iti18-stored-query-home.xml' : 'iti18-stored-query.xml', values, { agent });
  };

  /** uniqueId -> home of each DocumentEntry in the reply. */
  const documentsOf = (reply: SoapReply): Map<string, string> => {
    const out = new Map<string, string>();
    for (const o of queryObjects(reply).filter((e) => e.localName === 'ExtrinsicObject')) {
      const uid = childrenNamed(o, XDS_NS.rim, 'ExternalIdentifier').find((i) => i.getAttribute('identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab');
      out.set(uid!.getAttribute('value')!, o.getAttribute('home') ?? '');
    }
    return out;
  };

  const expectAll = (reply: SoapReply, names: readonly Name[]) => {
    const docs = documentsOf(reply);
    assert.deepEqual(new Map(names.map((n) => [published[n]!.uid, HOME[n]])), docs);
  };

  /** A's audit records of its calls to other communities (ITI-38 / ITI-39 with their Czech event type). */
  async function initiatedAuditRecords(transaction = 'ITI-38', atc = 'ATC_DOC_SEARCH'): Promise<number> {
    const c = new pg.Client({ connectionString: schemas.A!.url });
    await c.connect();
    try {
      const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE $1 = ANY(subtypes) AND $2 = ANY(subtypes)`, [`urn:ihe:event-type-code|${transaction}`, atc]);
      return r.rows[0]!.n;
    } finally {
      await c.end();
    }
  }

  it('ITI-18 fans out to every community: local and remote documents, each with its home, the other patient nowhere; each call audited', async () => {
    const before = await initiatedAuditRecords();
    const reply = await findDocuments();
    const result = registryResult(reply);
    assert.equal(result.status, 'Success', JSON.stringify(result.errors));
    expectAll(reply, ['A', 'B', 'C']);
    assert.equal(await initiatedAuditRecords(), before + 2);
    const refs = await findDocuments(undefined, 'ObjectRef');
    assert.equal(registryResult(refs).status, 'Success');
    assert.deepEqual(queryObjects(refs).map((r) => `${r.localName} ${r.getAttribute('home')}`).sort(), [HOME.A, HOME.B, HOME.C].map((h) => `ObjectRef ${h}`).sort());
  });

  it('the AdhocQuery home asks one community only; an unknown one is XDSUnknownCommunity', async () => {
    const onlyB = await findDocuments(HOME.B);
    assert.equal(registryResult(onlyB).status, 'Success');
    expectAll(onlyB, ['B']);
    const unknown = registryResult(await findDocuments('urn:oid:1.2.203.99.404'));
    assert.equal(unknown.status, 'Failure');
    assert.deepEqual(unknown.errors.map((e) => [e.code, e.location]), [['XDSUnknownCommunity', 'urn:oid:1.2.203.99.404']]);
  });

  it('ITI-43 routes remote documents through ITI-39 and streams them back with their HomeCommunityId', async () => {
    const reply = await findDocuments();
    const repositories = new Map<string, string>();
    for (const o of queryObjects(reply)) {
      const repo = childrenNamed(o, XDS_NS.rim, 'Slot').find((s) => s.getAttribute('name') === 'repositoryUniqueId');
      const uid = childrenNamed(o, XDS_NS.rim, 'ExternalIdentifier').find((i) => i.getAttribute('identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab');
      if (repo && uid) repositories.set(uid.getAttribute('value')!, childNamed(childNamed(repo, XDS_NS.rim, 'ValueList')!, XDS_NS.rim, 'Value')!.textContent!.trim());
    }
    const requests = (['A', 'B', 'C'] as const).map((n) => ({ homeCommunityId: HOME[n], repositoryUniqueId: repositories.get(published[n]!.uid)!, documentUniqueId: published[n]!.uid }));
    const auditedBefore = await initiatedAuditRecords('ITI-39', 'ATC_DOC_READ');
    const retrieved = await sendFixture(gw.A!.baseUrl, 'initiatingGateway', 'iti43-retrieve-many.xml', { DOCUMENT_REQUESTS: documentRequests(requests) }, { agent });
    try {
      assert.equal(registryResult(retrieved).status, 'Success');
      const responses = childrenNamed(retrieved.payload, XDS_NS.xdsb, 'DocumentResponse');
      const got = new Map<string, { home: string; bytes: string }>();
      for (const r of responses) {
        const text = (local: string) => childNamed(r, XDS_NS.xdsb, local)!.textContent!.trim();
        got.set(text('DocumentUniqueId'), { home: text('HomeCommunityId'), bytes: (await readAll(retrieved.message.binary(childNamed(r, XDS_NS.xdsb, 'Document') as Element).open())).toString('utf8') });
      }
      assert.deepEqual(got, new Map((['A', 'B', 'C'] as const).map((n) => [published[n]!.uid, { home: HOME[n], bytes: published[n]!.content.toString('utf8') }])));
      assert.equal(await initiatedAuditRecords('ITI-39', 'ATC_DOC_READ'), auditedBefore + 2);
    } finally {
      await retrieved.message.dispose();
    }
  });

  it('two initiating processes on one queue: each gets every call\'s result, whichever of them ran the job', async () => {
    const second = await startGateway({ ...env.A!, PORT: String(await freePort()), DATA_DIR: path.join(dir, 'a2') }, { ca: pki.ca, cert: pki.client('node-2').cert, key: pki.client('node-2').key });
    try {
      const ask = (baseUrl: string) => sendFixture(baseUrl, 'initiatingGateway', 'iti18-stored-query.xml', {
        QUERY_ID: StoredQueryId.FindDocuments, RETURN_TYPE: 'LeafClass',
        SLOTS: xml([slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))].join('\n')),
      }, { agent });
      const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(i % 2 === 0 ? gw.A!.baseUrl : second.baseUrl)));
      for (const reply of replies) {
        assert.equal(registryResult(reply).status, 'Success');
        expectAll(reply, ['A', 'B', 'C']);
      }
      // Finished calls are kept (keepResultMs) with the worker that ran them.
      const queue = new Queue('hie-gateway-communities', { connection: { url: `${redis.url}/1` } });
      try {
        const ranBy = new Set((await queue.getCompleted(0, 500)).map((j) => j.processedBy?.split('#')[1]));
        assert.ok(ranBy.has(String(gw.A!.child.pid)) && ranBy.has(String(second.child.pid)), `jobs ran in ${[...ranBy].join(', ')}; A is ${gw.A!.child.pid}, the second ${second.child.pid}`);
      } finally {
        await queue.close();
      }
    } finally {
      await second.stop();
    }
  });

  it('Redis down: the fan-out still answers (the requester calls the communities itself); back on the queue once Redis returns', async () => {
    await redis.kill();
    try {
      const during = await findDocuments();
      assert.equal(registryResult(during).status, 'Success');
      expectAll(during, ['A', 'B', 'C']);
    } finally {
      await redis.start();
    }
    const deadline = Date.now() + 20_000;
    while (((await getJson(`${gw.A!.baseUrl}/health`)).body as { jobs: { ok: boolean } }).jobs.ok !== true) {
      assert.ok(Date.now() < deadline, 'the job queue did not come back');
      await sleep(200);
    }
    const after = await findDocuments();
    assert.equal(registryResult(after).status, 'Success');
    expectAll(after, ['A', 'B', 'C']);
  });

  it('a community killed mid-test: PartialSuccess with XDSUnavailableCommunity at its homeCommunityId, the rest still answers; back after a restart', async () => {
    await gw.B!.stop('SIGKILL');
    const down = await findDocuments();
    const result = registryResult(down);
    assert.equal(result.status, 'PartialSuccess');
    assert.deepEqual(result.errors.map((e) => [e.code, e.location]), [['XDSUnavailableCommunity', HOME.B]]);
    expectAll(down, ['A', 'C']);
    await start('B');
    const back = await findDocuments();
    assert.equal(registryResult(back).status, 'Success');
    expectAll(back, ['A', 'B', 'C']);
  });

  it('a frozen community runs into its timeout, then its circuit opens (answered at once, /health degraded, /metrics), and closes once it answers again', async () => {
    gw.C!.child.kill('SIGSTOP');
    try {
      for (let i = 0; i < 2; i++) {
        const t0 = Date.now();
        const slow = registryResult(await findDocuments());
        assert.equal(slow.status, 'PartialSuccess');
        assert.deepEqual(slow.errors.map((e) => [e.code, e.location]), [['XDSUnavailableCommunity', HOME.C]]);
        assert.ok(Date.now() - t0 >= TIMEOUT_MS, `answered after ${Date.now() - t0} ms, before the timeout`);
      }
      const t0 = Date.now();
      const open = await findDocuments();
      const openResult = registryResult(open);
      assert.ok(Date.now() - t0 < TIMEOUT_MS, `open circuit took ${Date.now() - t0} ms`);
      assert.match(openResult.errors[0]!.context, /circuit open/);
      expectAll(open, ['A', 'B']);

      const health = await getJson(`${gw.A!.baseUrl}/health`);
      assert.equal(health.status, 200);
      const report = health.body as { status: string; communities: { state: string; list: Array<{ homeCommunityId: string; circuit: string; errors: number }> } };
      assert.equal(report.status, 'degraded');
      assert.equal(report.communities.state, 'degraded');
      assert.equal(report.communities.list.find((c) => c.homeCommunityId === HOME.C)?.circuit, 'open');
      assert.equal(report.communities.list.find((c) => c.homeCommunityId === HOME.B)?.circuit, 'closed');
      const metrics = await getText(`${gw.A!.baseUrl}/metrics`);
      assert.match(metrics, new RegExp(`hie_community_circuit_state\\{community="${HOME.C}"\\} 2`));
      assert.match(metrics, new RegExp(`hie_community_call_duration_seconds_count\\{community="${HOME.B}",outcome="answered"\\} [1-9]`));
    } finally {
      gw.C!.child.kill('SIGCONT');
    }
    await sleep(COOL_DOWN_MS);
    const recovered = await findDocuments();
    assert.equal(registryResult(recovered).status, 'Success');
    expectAll(recovered, ['A', 'B', 'C']);
  });

  function getJson(url: string): Promise<{ status: number; body: unknown }> {
    return getText(url, true).then((t) => JSON.parse(t) as { status: number; body: unknown });
  }

  function getText(url: string, asJson = false): Promise<string> {
    return new Promise((resolve, reject) => {
      https.get(url, { agent }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(asJson ? JSON.stringify({ status: res.statusCode, body: JSON.parse(text) as unknown }) : text));
      }).on('error', reject);
    });
  }
});
