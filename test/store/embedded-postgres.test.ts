// The embedded default end to end: real gateway processes with no DATABASE_URL, each running
// its own PostgreSQL server under a temporary DATA_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshBundle, RID_SYSTEM } from '../fhir/http/support';
import { GATEWAY_MAIN, runGatewayToExit, servingPids, startGateway, type GatewayProcess } from '../support/gateway-process';
import { processAlive } from '../../src/process-alive';
import { unreachableAncestor } from '../../src/store/embedded-postgres/server-account';

const newDataDir = () => mkdtemp(path.join(os.tmpdir(), 'hie-emb-'));

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

async function feedPatient(gw: GatewayProcess, rid: string): Promise<void> {
  const r = await fetch(`${gw.baseUrl}/fhir/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: RID_SYSTEM, value: rid }] }),
  });
  assert.ok(r.status === 200 || r.status === 201, `patient feed answered ${r.status}`);
}

async function patientKnown(gw: GatewayProcess, rid: string): Promise<boolean> {
  const r = await fetch(`${gw.baseUrl}/fhir/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`);
  assert.equal(r.status, 200);
  return ((await r.json()) as { total?: number; entry?: unknown[] }).entry?.length === 1;
}

async function documentCount(gw: GatewayProcess, rid: string): Promise<number> {
  const r = await fetch(`${gw.baseUrl}/fhir/DocumentReference?status=current&patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${rid}`)}`);
  assert.equal(r.status, 200);
  return ((await r.json()) as { entry?: unknown[] }).entry?.length ?? 0;
}

describe('embedded PostgreSQL (the default store)', function () {
  this.timeout(120_000);

  it('initialises a cluster on first start, runs it as an unprivileged account, and stops it on SIGTERM', async () => {
    const dataDir = await newDataDir();
    const gw = await startGateway({ DATA_DIR: dataDir });
    const pid = postmasterPid(dataDir);
    try {
      assert.ok(pid && processAlive(pid), 'a postmaster runs for DATA_DIR/postgres');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      assert.notEqual(uid, 0, 'PostgreSQL never runs as root');
      if (process.getuid!() === 0) assert.equal(fs.statSync(path.join(dataDir, 'postgres')).uid, uid, 'the server account owns the cluster');
      assert.equal(fs.statSync(path.join(dataDir, 'postgres.password')).mode & 0o077, 0, 'the generated password is private');
      // The server listens on its Unix socket under DATA_DIR only: no TCP port anyone else could reach.
      const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
      const client = new pg.Client({ host: path.join(dataDir, 'run'), user: 'hie', password, database: 'postgres' });
      await client.connect();
      try {
        assert.equal((await client.query('SHOW listen_addresses')).rows[0].listen_addresses, '');
        assert.equal((await client.query('SHOW fsync')).rows[0].fsync, 'on');
      } finally {
        await client.end();
      }
      const wrong = new pg.Client({ host: path.join(dataDir, 'run'), user: 'hie', password: 'not-the-password', database: 'postgres' });
      await assert.rejects(wrong.connect(), /password authentication failed/);
      await feedPatient(gw, '7608139877');
    } finally {
      assert.equal(await gw.stop(), 0);
    }
    assert.ok(!processAlive(pid!), 'SIGTERM stopped the server too');
    assert.ok(!fs.existsSync(path.join(dataDir, 'postgres.owner')), 'the gateway let go of DATA_DIR');
  });

  it('recovers after the gateway was killed with -9 (the server it left running is stopped and restarted)', async () => {
    const dataDir = await newDataDir();
    const first = await startGateway({ DATA_DIR: dataDir });
    await feedPatient(first, '7608139877');
    const orphan = postmasterPid(dataDir)!;
    await first.stop('SIGKILL');
    assert.ok(processAlive(orphan), 'kill -9 leaves the server running');
    const second = await startGateway({ DATA_DIR: dataDir });
    try {
      assert.ok(await patientKnown(second, '7608139877'), 'data committed before the kill is there');
      assert.ok(!processAlive(orphan), 'the orphaned server was stopped');
      assert.match(second.output(), /left running by a gateway that died/);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });

  it('refuses a second gateway on the same DATA_DIR with a clear message, and the first keeps serving', async () => {
    const dataDir = await newDataDir();
    const first = await startGateway({ DATA_DIR: dataDir });
    try {
      const second = await runGatewayToExit({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir });
      assert.notEqual(second.code, 0);
      assert.match(second.output, new RegExp(`DATA_DIR ${dataDir} is in use by another gateway \\(pid ${first.child.pid}\\)`));
      assert.equal((await fetch(`${first.baseUrl}/health`)).status, 200);
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });

  it('WORKERS=2: the supervisor owns the server, both workers use it, SIGTERM stops workers and then the server', async () => {
    const dataDir = await newDataDir();
    const gw = await startGateway({ DATA_DIR: dataDir, WORKERS: '2' });
    const pid = postmasterPid(dataDir)!;
    try {
      const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { store: { backend: string } };
      assert.equal(health.store.backend, 'embedded-postgres');
      assert.equal((await servingPids(gw.baseUrl, 2)).size, 2, 'answers come from two worker processes');
      await feedPatient(gw, '7608139877');
    } finally {
      assert.equal(await gw.stop(), 0);
    }
    assert.ok(!processAlive(pid), 'the server stopped after the workers');
  });

  it('moves the PGlite database of an earlier version into the new cluster on first start, keeping the old directory', async () => {
    const dataDir = await newDataDir();
    const old = await startGateway({ DATA_DIR: dataDir, EMBEDDED_STORE: 'pglite' });
    try {
      const health = (await (await fetch(`${old.baseUrl}/health`)).json()) as { store: { backend: string } };
      assert.equal(health.store.backend, 'pglite');
      await feedPatient(old, '7608139877');
      const posted = await fetch(`${old.baseUrl}/fhir`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(freshBundle('minimal-bundle.json')),
      });
      assert.equal(posted.status, 200);
    } finally {
      assert.equal(await old.stop(), 0);
    }
    const gw = await startGateway({ DATA_DIR: dataDir });
    try {
      assert.ok(await patientKnown(gw, '7608139877'));
      assert.equal(await documentCount(gw, '7608139877'), 1, 'the document published on PGlite is found');
      // bigserial columns continue after the copied rows: a new submission is accepted.
      const posted = await fetch(`${gw.baseUrl}/fhir`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify(freshBundle('minimal-bundle.json')),
      });
      assert.equal(posted.status, 200);
      assert.equal(await documentCount(gw, '7608139877'), 2);
      assert.match(gw.output(), /PGlite database moved into the embedded PostgreSQL/);
    } finally {
      assert.equal(await gw.stop(), 0);
    }
    const entries = fs.readdirSync(dataDir);
    assert.ok(!entries.includes('pglite'), 'the PGlite directory is no longer read');
    assert.ok(entries.some((e) => e.startsWith('pglite.migrated-')), 'but it is kept');
  });

  it('run by root from a directory other users cannot enter, falls back to PGlite and says why', async () => {
    const privateDir = await newDataDir(); // mkdtemp: mode 0700
    const dataDir = path.join(privateDir, 'data');
    const gw = await startGateway({ DATA_DIR: dataDir });
    try {
      const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { store: { backend: string } };
      if (process.getuid!() === 0) {
        assert.equal(health.store.backend, 'pglite');
        assert.match(gw.output(), /cannot run here; running on PGlite/);
        assert.match(gw.output(), /is not searchable by other users/);
      } else {
        // Any other user runs the server as itself, which may enter its own directories.
        assert.equal(health.store.backend, 'embedded-postgres');
      }
      await feedPatient(gw, '7608139877');
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  });

  it('run by an ordinary user, runs the server as that user with no extra step', async function () {
    // As root, the test plays an operator starting the gateway as an unprivileged account (which
    // must be able to read the build: a checkout only root can enter is no place for that).
    const root = process.getuid!() === 0;
    if (root && unreachableAncestor(GATEWAY_MAIN) !== undefined) this.skip();
    const user = root ? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };
    const dataDir = await newDataDir();
    if (root) fs.chownSync(dataDir, user.uid, user.gid);
    const gw = await startGateway({ DATA_DIR: dataDir, HOME: dataDir }, undefined, undefined, root ? user : undefined);
    try {
      const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { store: { backend: string } };
      assert.equal(health.store.backend, 'embedded-postgres');
      const pid = postmasterPid(dataDir)!;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      assert.equal(uid, user.uid, "the server runs as the gateway's own user");
      assert.equal(fs.statSync(path.join(dataDir, 'postgres')).uid, user.uid);
      await feedPatient(gw, '7608139877');
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  });
});
