import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../src/communities/circuit-breaker';
import type { Community } from '../../src/communities/community';
import { CommunityDirectory } from '../../src/communities/community-directory';
import { CommunityHealth } from '../../src/communities/community-health';
import { CommunityFanOut, type CommunityJobQueue } from '../../src/communities/fan-out';
import { CommunityCallError, type CommunityTransport, type RemoteDocumentRequest, type RemoteQueryAnswer, type RemoteRetrieveAnswer } from '../../src/communities/ports';
import { RemoteRetrieval } from '../../src/communities/remote-retrieve';
import { Readable } from 'node:stream';
import type { RegistryObject } from '../../src/domain/metadata';
import type { StoredQuery } from '../../src/domain/stored-queries';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { InProcessJobQueue } from '../../src/jobs/in-process-queue';

const LOCAL = 'urn:oid:1.2.203.99.0';
const A = 'urn:oid:1.2.203.99.1';
const B = 'urn:oid:1.2.203.99.2';
const C = 'urn:oid:1.2.203.99.3';
const PATIENT = '7608139877^^^&1.2.203.24341.1.1&ISO';
const OTHER = '9001011234^^^&1.2.203.24341.1.1&ISO';

const community = (id: string, timeoutMs = 500): Community => ({
  homeCommunityId: id,
  name: id,
  xca: { queryUrl: 'https://x/q', retrieveUrl: 'https://x/r' },
  tlsOptions: {},
  auth: { type: 'none' },
  timeoutMs,
});

const doc = (entryUuid: string, patientId = PATIENT, homeCommunityId?: string): RegistryObject => ({
  kind: 'DocumentEntry', entryUuid, uniqueId: `1.2.3.${entryUuid.length}`, objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1', patientId,
  mimeType: 'text/plain', authors: [], confidentialityCodes: [], eventCodes: [], referenceIds: [], ...(homeCommunityId ? { homeCommunityId } : {}),
} as RegistryObject);

const findDocuments = (patientId = PATIENT): StoredQuery => ({
  name: 'FindDocuments', queryId: StoredQueryId.FindDocuments, returnType: 'LeafClass', metadataLevel: 1,
  documents: { patientIds: [patientId], statuses: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'], objectTypes: ['urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1'] },
});

type Behaviour = (attempt: number) => Promise<RemoteQueryAnswer>;

class FakeTransport implements CommunityTransport {
  calls: string[] = [];
  retrieved: RemoteDocumentRequest[][] = [];
  constructor(readonly behaviour: Record<string, Behaviour>) {}
  /** Like a Responding Gateway, home on every object unless a test wants it left out. */
  keepHomeless = false;
  async query(c: Community): Promise<RemoteQueryAnswer> {
    this.calls.push(c.homeCommunityId);
    const n = this.calls.filter((x) => x === c.homeCommunityId).length;
    const a = await this.behaviour[c.homeCommunityId]!(n);
    return this.keepHomeless ? a : { ...a, objects: a.objects.map((o) => ({ ...o, homeCommunityId: o.homeCommunityId ?? c.homeCommunityId })) };
  }
  async retrieve(_c: Community, documents: readonly RemoteDocumentRequest[]): Promise<RemoteRetrieveAnswer> {
    this.retrieved.push([...documents]);
    return { status: 'Success', errors: [], documents: documents.map((d) => ({ ...d, mimeType: 'text/plain', open: () => Readable.from([`bytes of ${d.documentUniqueId}`]) })), dispose: async () => undefined };
  }
}

const answer = (objects: RegistryObject[]): RemoteQueryAnswer => ({ status: 'Success', objects, objectRefs: [], errors: [] });

describe('community fan-out (in-process queue, fake transport)', () => {
  let jobs: InProcessJobQueue;
  const open = (transport: FakeTransport, opts: { communities?: Community[]; threshold?: number } = {}) => {
    jobs = new InProcessJobQueue({ concurrency: 8 });
    const health = new CommunityHealth({ failureThreshold: opts.threshold ?? 3, coolDownMs: 60_000 });
    const fanOut = new CommunityFanOut({
      localCommunityId: LOCAL,
      directory: CommunityDirectory.of(opts.communities ?? [community(A), community(B)]),
      jobs: jobs as unknown as CommunityJobQueue,
      health,
      transport,
      options: { attempts: 2, backoffMs: 10, queueSlackMs: 500 },
    });
    fanOut.registerJobs();
    return { fanOut, health };
  };
  afterEach(() => jobs.close());

  it('asks every community in parallel and gives each object its homeCommunityId', async () => {
    const transport = new FakeTransport({
      [A]: async () => answer([doc('urn:uuid:a1')]),
      [B]: async () => answer([doc('urn:uuid:b1', PATIENT, 'urn:oid:1.2.203.99.9')]),
    });
    transport.keepHomeless = true;
    const { fanOut } = open(transport);
    await jobs.start();
    const result = await fanOut.query({ requestId: 'r1', query: findDocuments(), communities: 'all', principal: { subject: 'dr' } });
    assert.equal(result.includesLocal, true);
    assert.deepEqual(result.objects.map((o) => [o.entryUuid, o.homeCommunityId]), [['urn:uuid:a1', A], ['urn:uuid:b1', 'urn:oid:1.2.203.99.9']]);
    // A answered an object without home: kept with A's id, and named as the Responding Gateway's error.
    assert.deepEqual(result.errors.map((e) => [e.code, e.location]), [['XDSMissingHomeCommunityId', A]]);
    assert.match(result.errors[0]!.context, /urn:uuid:a1/);
    assert.deepEqual(result.communities.map((c) => [c.homeCommunityId, c.outcome]), [[A, 'answered'], [B, 'answered']]);
  });

  it('retries a transient failure, never a refusal; an unknown community is XDSUnknownCommunity', async () => {
    const transport = new FakeTransport({
      [A]: async (n) => {
        if (n === 1) throw new CommunityCallError('connect ECONNREFUSED', true);
        return answer([doc('urn:uuid:a1')]);
      },
      [B]: async () => {
        throw new CommunityCallError('SOAP fault env:Sender: bad request', false);
      },
    });
    const { fanOut } = open(transport);
    await jobs.start();
    const result = await fanOut.query({ requestId: 'r2', query: findDocuments(), communities: [A, B, C, LOCAL], principal: { subject: 'dr' } });
    assert.deepEqual(transport.calls.sort(), [A, A, B]);
    assert.deepEqual(result.objects.map((o) => o.entryUuid), ['urn:uuid:a1']);
    assert.deepEqual(result.errors.map((e) => [e.code, e.location]), [['XDSUnavailableCommunity', B], ['XDSUnknownCommunity', C]]);
    assert.match(result.errors[0]!.context, /SOAP fault/);
    assert.equal(result.includesLocal, true);
  });

  it('a retried fan-out (same request id, query and caller) reuses finished calls; another query or caller under that id does not', async () => {
    const transport = new FakeTransport({ [A]: async () => answer([doc('urn:uuid:a1')]), [B]: async () => answer([]) });
    const { fanOut } = open(transport);
    await jobs.start();
    const request = { requestId: 'r3', query: findDocuments(), communities: 'all' as const, principal: { subject: 'dr' } };
    const first = await fanOut.query(request);
    const second = await fanOut.query(request);
    assert.deepEqual(second.objects, first.objects);
    assert.deepEqual(transport.calls.sort(), [A, B]);
    // The same request id for another query (or caller) is another call, never the kept result.
    await fanOut.query({ ...request, query: findDocuments(OTHER) });
    await fanOut.query({ ...request, principal: { subject: 'someone else' } });
    assert.deepEqual(transport.calls.sort(), [A, A, A, B, B, B]);
  });

  it('a community slower than its timeout is unavailable, and after repeated failures its circuit answers at once', async () => {
    const transport = new FakeTransport({
      [A]: () => new Promise((resolve) => setTimeout(() => resolve(answer([])), 2_000)),
      [B]: async () => answer([]),
    });
    const { fanOut, health } = open(transport, { communities: [community(A, 100), community(B)], threshold: 2 });
    await jobs.start();
    for (let i = 0; i < 2; i++) {
      const r = await fanOut.query({ requestId: `slow${i}`, query: findDocuments(), communities: [A, B], principal: { subject: 'dr' } });
      assert.deepEqual(r.errors.map((e) => [e.code, e.location]), [['XDSUnavailableCommunity', A]]);
    }
    assert.equal(health.states().find((s) => s.homeCommunityId === A)!.circuit, 'open');
    const t0 = Date.now();
    const r = await fanOut.query({ requestId: 'slow-open', query: findDocuments(), communities: [A, B], principal: { subject: 'dr' } });
    assert.ok(Date.now() - t0 < 100, `open circuit took ${Date.now() - t0} ms`);
    assert.match(r.errors[0]!.context, /circuit open/);
  });

  it('with the queue down (enqueue fails) the requester asks the communities itself', async () => {
    const transport = new FakeTransport({ [A]: async () => answer([doc('urn:uuid:a1')]), [B]: async () => answer([doc('urn:uuid:b1')]) });
    jobs = new InProcessJobQueue();
    const down = { registerHandler: () => undefined, enqueue: () => Promise.reject(new Error('Connection is closed.')), waitForResult: () => Promise.reject(new Error('unused')) } as unknown as CommunityJobQueue;
    const fanOut = new CommunityFanOut({ localCommunityId: LOCAL, directory: CommunityDirectory.of([community(A), community(B)]), jobs: down, health: new CommunityHealth(), transport });
    const result = await fanOut.query({ requestId: 'down', query: findDocuments(), communities: 'all', principal: { subject: 'dr' } });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.objects.map((o) => o.entryUuid).sort(), ['urn:uuid:a1', 'urn:uuid:b1']);
  });

  it('a patient-context caller gets only its patient: another patient is not asked for, other patients\' objects are dropped', async () => {
    const transport = new FakeTransport({ [A]: async () => answer([doc('urn:uuid:mine'), doc('urn:uuid:theirs', OTHER)]), [B]: async () => answer([]) });
    const { fanOut } = open(transport);
    await jobs.start();
    const principal = { subject: 'patient', patientId: PATIENT };
    const own = await fanOut.query({ requestId: 'p1', query: findDocuments(), communities: [A], principal });
    assert.deepEqual(own.objects.map((o) => o.entryUuid), ['urn:uuid:mine']);
    const other = await fanOut.query({ requestId: 'p2', query: findDocuments(OTHER), communities: [A], principal });
    assert.deepEqual(other.objects, []);
    assert.deepEqual(other.communities.map((c) => c.outcome), ['not-asked']);
    assert.equal(transport.calls.length, 1);
  });
});

describe('remote retrieval', () => {
  it('a patient-context caller gets only documents the community lists for its patient; the others are never fetched', async () => {
    const mine = { ...doc('urn:uuid:mine'), uniqueId: '1.2.3.1' } as RegistryObject;
    const transport = new FakeTransport({ [A]: async () => answer([mine, { ...doc('urn:uuid:theirs', OTHER), uniqueId: '1.2.3.2' } as RegistryObject]) });
    const jobs = new InProcessJobQueue();
    const directory = CommunityDirectory.of([community(A)]);
    const health = new CommunityHealth();
    const fanOut = new CommunityFanOut({ localCommunityId: LOCAL, directory, jobs: jobs as unknown as CommunityJobQueue, health, transport });
    fanOut.registerJobs();
    await jobs.start();
    try {
      const retrieval = new RemoteRetrieval({ directory, health, fanOut, transport });
      const request = (uid: string) => ({ homeCommunityId: A, repositoryUniqueId: '1.2.3.9', documentUniqueId: uid });
      const out = await retrieval.retrieve({ requestId: 'x1', homeCommunityId: A, documents: [request('1.2.3.1'), request('1.2.3.2')], principal: { subject: 'patient', patientId: PATIENT } });
      assert.deepEqual(out.documents.map((d) => d.documentUniqueId), ['1.2.3.1']);
      assert.deepEqual(out.errors.map((e) => [e.code, e.location]), [['XDSDocumentUniqueIdError', '1.2.3.2']]);
      assert.deepEqual(transport.retrieved, [[request('1.2.3.1')]]);
      const unknown = await retrieval.retrieve({ requestId: 'x2', homeCommunityId: C, documents: [request('1.2.3.1')], principal: { subject: 'dr' } });
      assert.deepEqual(unknown.errors.map((e) => [e.code, e.location]), [['XDSUnknownCommunity', C]]);
    } finally {
      await jobs.close();
    }
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one trial through after the cool-down, and closes on its success', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 100 }, () => now);
    assert.equal(b.tryAcquire(), true);
    b.failed();
    assert.equal(b.state, 'closed');
    b.failed();
    assert.equal(b.state, 'open');
    assert.equal(b.tryAcquire(), false);
    now = 100;
    assert.equal(b.state, 'half-open');
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.tryAcquire(), false, 'one trial at a time');
    b.failed();
    assert.equal(b.state, 'open', 'a failed trial re-opens');
    now = 200;
    assert.equal(b.tryAcquire(), true);
    b.succeeded();
    assert.equal(b.state, 'closed');
    assert.equal(b.consecutiveFailures, 0);
  });
});
