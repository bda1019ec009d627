// ITI-20 RESTful feed: FHIR AuditEvent POSTs to a stand-in Audit Record Repository.
import assert from 'node:assert/strict';
import type { AuditEvent } from '../../src/audit/fhir-audit-event';
import { startAuditHarness, waitFor, type AuditHarness } from './support/audit-harness';
import { createInput } from './support/fixtures';
import { startFhirRepository, type FhirRepository } from './support/receivers';

describe('audit forwarding to a FHIR Audit Record Repository', () => {
  let repo: FhirRepository;
  let h: AuditHarness;

  afterEach(async () => {
    await h?.close();
    await repo?.close();
  });

  it('POSTs each AuditEvent as FHIR JSON to [base]/AuditEvent with the configured bearer token', async () => {
    repo = await startFhirRepository();
    h = await startAuditHarness({ AUDIT_FHIR_URL: `arr=${repo.baseUrl}`, AUDIT_FHIR_TOKEN: 'secret-token' });
    const recorded: AuditEvent[] = [];
    for (let i = 0; i < 12; i++) recorded.push(await h.audit.trail.record(createInput()));
    const got = await repo.waitFor(12);
    for (const r of got) {
      assert.equal(r.path, '/fhir/AuditEvent');
      assert.match(r.contentType, /^application\/fhir\+json/);
      assert.equal(r.authorization, 'Bearer secret-token');
    }
    const byId = new Map(got.map((r) => [(r.body as AuditEvent).id, r.body]));
    for (const e of recorded) assert.deepEqual(byId.get(e.id), e);
    await waitFor(async () => (await h.statuses()).sent === 12, 10_000, 'all sent');
  });

  it('server errors are retried, client errors are kept as failed', async () => {
    repo = await startFhirRepository();
    repo.respondWith = 503;
    h = await startAuditHarness({ AUDIT_FHIR_URL: `arr=${repo.baseUrl}` });
    await h.audit.trail.record(createInput());
    await waitFor(async () => !!(await h.audit.health())[0]?.lastError, 10_000, 'a 503');
    assert.match((await h.audit.health())[0]!.lastError!, /HTTP 503/);
    assert.equal((await h.statuses()).pending, 1);
    repo.respondWith = 201;
    await repo.waitFor(1);
    await waitFor(async () => (await h.statuses()).sent === 1, 10_000, 'sent after the repository recovered');

    repo.respondWith = 422;
    await h.audit.trail.record(createInput());
    await waitFor(async () => (await h.statuses()).failed === 1, 10_000, 'rejected for good');
    assert.match((await h.audit.health())[0]!.lastError!, /HTTP 422/);
  });

  it('a repository that is down gets everything once it is back; nothing lost', async () => {
    repo = await startFhirRepository();
    const port = repo.port;
    await repo.close();
    h = await startAuditHarness({ AUDIT_FHIR_URL: `arr=http://127.0.0.1:${port}/fhir` });
    const recorded: AuditEvent[] = [];
    for (let i = 0; i < 8; i++) recorded.push(await h.audit.trail.record(createInput()));
    await waitFor(async () => {
      const r = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_outbox WHERE status = 'pending' AND attempts >= 1");
      return r.rows[0]!.n === 8;
    }, 10_000, 'failed attempts');
    assert.match((await h.audit.health())[0]!.lastError!, /ECONNREFUSED/);
    repo = await startFhirRepository(port);
    const got = await repo.waitFor(8);
    assert.deepEqual(new Set(got.map((r) => (r.body as AuditEvent).id)), new Set(recorded.map((e) => e.id)));
    await waitFor(async () => (await h.statuses()).sent === 8, 10_000, 'all sent');
  });
});
