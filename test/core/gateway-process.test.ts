import assert from 'node:assert/strict';
import pg from 'pg';
import http from 'node:http';
import { freshBundle, RID, RID_SYSTEM } from '../fhir/http/support';
import { runGatewayToExit, servingPids, startGateway } from '../support/gateway-process';
import { createPgSchema } from '../support/pg-schema';
import { needService } from '../support/services';

/** Runs `body` with a fresh PostgreSQL schema (on the URL's search_path), dropped afterwards. */
async function withSchema(pgUrl: string, body: (databaseUrl: string, admin: pg.Client, schema: string) => Promise<void>): Promise<void> {
  const own = await createPgSchema(pgUrl, 'gw');
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await body(own.url, admin, own.name);
  } finally {
    await admin.end();
    await own.drop();
  }
}

describe('gateway process', function () {
  this.timeout(60_000);

  it('starts on the embedded default (PostgreSQL server under DATA_DIR, in-process jobs), serves /health and /metrics, stops on SIGTERM', async () => {
    const gw = await startGateway();
    try {
      const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { status: string; store: { backend: string; version?: string }; jobs: { backend: string } };
      assert.equal(health.status, 'ok');
      assert.equal(health.store.backend, 'embedded-postgres');
      assert.match(health.store.version ?? '', /^\d+\.\d+$/);
      assert.equal(health.jobs.backend, 'in-process');
      const metrics = await (await fetch(`${gw.baseUrl}/metrics`)).text();
      assert.match(metrics, /^# TYPE hie_http_request_duration_seconds histogram$/m);
      assert.match(metrics, /hie_jobs\{state="waiting"\} 0/);
      assert.match(metrics, /process_resident_memory_bytes/);
    } finally {
      assert.equal(await gw.stop(), 0);
    }
    assert.match(gw.output(), /"msg":"stopped"/);
  });

  it('uses PostgreSQL and BullMQ when DATABASE_URL and REDIS_URL are set', async function () {
    const pgUrl = await needService(this, 'postgres');
    const redisUrl = await needService(this, 'redis');
    await withSchema(pgUrl, async (databaseUrl, admin, schema) => {
      const gw = await startGateway({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl });
      try {
        const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { store: { backend: string }; jobs: { backend: string } };
        assert.equal(health.store.backend, 'postgres');
        assert.equal(health.jobs.backend, 'bullmq');
        const migrated = await admin.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
        assert.ok(migrated.rowCount! >= 1);
      } finally {
        assert.equal(await gw.stop(), 0);
      }
    });
  });

  it('WORKERS=2 on PostgreSQL: two processes serve the port, SIGTERM stops them all', async function () {
    const pgUrl = await needService(this, 'postgres');
    await withSchema(pgUrl, async (databaseUrl) => {
      const gw = await startGateway({ DATABASE_URL: databaseUrl, WORKERS: '2' });
      try {
        const pids = await servingPids(gw.baseUrl, 2);
        assert.equal(pids.size, 2, 'answers come from two worker processes');
        assert.ok(!pids.has(gw.child.pid!), 'the supervising process serves nothing itself');
      } finally {
        assert.equal(await gw.stop(), 0);
      }
      assert.match(gw.output(), /all workers stopped/);
    });
  });

  it('refuses WORKERS > 1 on the embedded PGlite store (EMBEDDED_STORE=pglite)', async () => {
    const r = await runGatewayToExit({ HOST: '127.0.0.1', PORT: '0', WORKERS: '2', EMBEDDED_STORE: 'pglite' });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /WORKERS > 1 needs a PostgreSQL server/);
  });

  it('on SIGTERM finishes an in-flight request before exiting', async () => {
    const gw = await startGateway();
    const feed = await fetch(`${gw.baseUrl}/fhir/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value: RID }] }),
    });
    assert.ok(feed.status === 200 || feed.status === 201, `patient feed answered ${feed.status}`);
    const body = Buffer.from(JSON.stringify(freshBundle('minimal-bundle.json')));
    const url = new URL(`${gw.baseUrl}/fhir`);
    // Send half the bundle, stop the gateway, then the rest: the request must still complete.
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/fhir+json', 'content-length': body.length } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, body.length >> 1));
      setTimeout(() => {
        gw.child.kill('SIGTERM');
        setTimeout(() => req.end(body.subarray(body.length >> 1)), 300);
      }, 200);
    });
    const r = await reply;
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.text).type, 'transaction-response');
    assert.equal(await gw.stop(), 0, gw.output());
    assert.match(gw.output(), /shutting down: finishing in-flight requests/);
  });

  it('refuses AUTH=off on a non-loopback interface', async () => {
    const r = await runGatewayToExit({ HOST: '0.0.0.0', AUTH: 'off', PORT: '0' });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /AUTH=off is only allowed while HOST is loopback/);
  });

  it('refuses to start on a non-loopback interface without a way to authenticate callers', async () => {
    const r = await runGatewayToExit({ HOST: '0.0.0.0', PORT: '0' });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /AUTH=on needs at least one way to authenticate callers/);
  });

  it('refuses bad blob keys at start-up', async () => {
    const r = await runGatewayToExit({ HOST: '127.0.0.1', PORT: '0', BLOB_KEYS: 'k1:dG9vLXNob3J0' });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /must be 32 bytes/);
  });
});
