// DATABASE_TRANSACTION_TIMEOUT_MS end to end: an ITI-65 replacement (it registers in a
// transaction holding row locks) whose transaction cannot finish, because another session holds a
// lock it needs, is answered 503 with Retry-After within the limit, not when the lock goes; nothing
// of it is stored, its refusal is audited, and the same submission succeeds once the lock is gone.
import assert from 'node:assert/strict';
import pg from 'pg';
import { feedPatient, freshBundle, request, type Json } from '../fhir/http/support';
import { startGateway, type GatewayProcess } from '../support/gateway-process';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needService } from '../support/services';

const LIMIT_MS = 1_000;

describe('resilience: a submission whose database transaction cannot finish in time', function () {
  this.timeout(60_000);
  let schema: PgSchema;
  let gw: GatewayProcess;
  let holder: pg.Client;

  before(async function () {
    const url = await needService(this, 'postgres');
    schema = await createPgSchema(url, 'txto');
    // Statement limits well above the transaction's, so only the transaction limit can answer.
    gw = await startGateway({ DATABASE_URL: schema.url, DATABASE_TRANSACTION_TIMEOUT_MS: String(LIMIT_MS), DATABASE_STATEMENT_TIMEOUT_MS: '20000', DATABASE_QUERY_TIMEOUT_MS: '25000' });
    holder = new pg.Client({ connectionString: schema.url });
    await holder.connect();
  });
  after(async () => {
    await holder?.end();
    if (gw) assert.equal(await gw.stop(), 0);
    await schema?.drop();
  });

  async function failureRecords(): Promise<number> {
    const r = await holder.query("SELECT count(*)::int AS n FROM audit_events WHERE outcome <> '0' AND 'ITI-65' = ANY(subtypes)");
    return r.rows[0].n as number;
  }

  it('503 with Retry-After at the limit, nothing stored, the refusal audited; then it succeeds', async () => {
    const fhir = `${gw.baseUrl}/fhir`;
    assert.ok([200, 201].includes((await feedPatient(fhir)).status));
    const original = freshBundle('comprehensive-bundle.json');
    assert.equal((await request(fhir, { method: 'POST', json: original })).status, 200);
    const originalId = String(original.entry[1].fullUrl).replace('urn:uuid:', '');
    const replacement: Json = freshBundle('comprehensive-bundle.json');
    replacement.entry[1].resource.relatesTo = [{ code: 'replaces', target: { reference: `DocumentReference/${originalId}` } }];
    const replacementId = String(replacement.entry[1].fullUrl).replace('urn:uuid:', '');
    const refusedBefore = await failureRecords();

    // Registering inserts associations: this session's lock makes that wait, indefinitely.
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE associations IN SHARE MODE');
    let reply;
    const started = Date.now();
    try {
      reply = await request(fhir, { method: 'POST', json: replacement });
    } finally {
      await holder.query('ROLLBACK');
    }
    const ms = Date.now() - started;
    assert.equal(reply.status, 503, reply.text);
    assert.ok(Number(reply.headers.get('retry-after')) > 0, 'Retry-After');
    assert.equal(reply.resource?.resourceType, 'OperationOutcome');
    assert.equal(reply.resource?.issue?.[0]?.code, 'transient');
    assert.ok(ms >= LIMIT_MS && ms < LIMIT_MS + 5_000, `answered after ${ms} ms`);

    // Nothing of it stayed: the original is still current, the replacement unknown.
    assert.equal((await request(`${fhir}/DocumentReference/${originalId}`)).resource?.status, 'current');
    assert.equal((await request(`${fhir}/DocumentReference/${replacementId}`)).status, 404);
    const stored = await holder.query('SELECT count(*)::int AS n FROM document_entries WHERE entry_uuid = $1', [`urn:uuid:${replacementId}`]);
    assert.equal(stored.rows[0].n, 0);
    assert.equal(await failureRecords(), refusedBefore + 1, 'the refusal has its audit record');

    // The database was never out of service, and the same submission goes through now.
    const again = await request(fhir, { method: 'POST', json: replacement });
    assert.equal(again.status, 200, again.text);
    assert.equal((await request(`${fhir}/DocumentReference/${originalId}`)).resource?.status, 'superseded');
  });
});
