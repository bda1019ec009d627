import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditSpool } from '../../src/audit/audit-spool';
import { AuditTrail } from '../../src/audit/audit-trail';
import { SpoolReplay } from '../../src/audit/spool-replay';
import { StoreUnavailableError } from '../../src/domain/store-unavailable';
import type { Database, SqlExecutor } from '../../src/store/sql/database';
import { transactionHandle } from '../../src/store/sql/store-handles';
import { openTestDatabase } from '../support/databases';
import { CONTEXT, createInput, events } from './support/fixtures';
import { sqlAuditEvents } from './support/stores';

const unreachable: SqlExecutor = {
  query: () => Promise.reject(new StoreUnavailableError('connect ECONNREFUSED')),
  exec: () => Promise.reject(new StoreUnavailableError('connect ECONNREFUSED')),
};
const silent = { warn: () => undefined, error: () => undefined };

/** The pid of a process that has exited: its spool files belong to nobody. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('audit spool', function () {
  this.timeout(30_000);
  let dir: string;
  let spool: AuditSpool;
  let db: Database;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db, drop } = await openTestDatabase('pglite'));
  });
  after(async () => {
    await drop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hie-spool-'));
    spool = new AuditSpool(dir);
  });
  afterEach(async () => {
    await spool.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a record the shared database cannot take is spooled and the request goes on; one in a caller transaction is not', async () => {
    const trail = new AuditTrail(CONTEXT, ['arr'], sqlAuditEvents(unreachable), spool);
    const event = await trail.record(createInput());
    const [file] = await spool.claim();
    assert.deepEqual((await spool.read(file!)).map((e) => e.id), [event.id]);
    const inTransaction: SqlExecutor = { ...unreachable };
    await assert.rejects(trail.record(createInput(), transactionHandle(inTransaction)), StoreUnavailableError);
  });

  it('claims its own file (new records then go to a new one) and files of dead processes, never a live process', async () => {
    const [first, second] = events(2);
    await spool.append([first!]);
    const orphan = path.join(dir, `${deadPid()}.${randomUUID()}.open`);
    await fs.writeFile(orphan, `${JSON.stringify(second)}\n{"torn": `);
    const livePid = process.ppid;
    const live = path.join(dir, `${livePid}.${randomUUID()}.open`);
    await fs.writeFile(live, `${JSON.stringify(second)}\n`);

    const claimed = await spool.claim();
    assert.equal(claimed.length, 2);
    assert.ok(claimed.every((f) => path.basename(f).startsWith(`${process.pid}.`) && f.endsWith('.replay')));
    const ids = (await Promise.all(claimed.map((f) => spool.read(f)))).flat().map((e) => e.id).sort();
    assert.deepEqual(ids, [first!.id, second!.id].sort(), 'the torn last line is skipped');
    assert.ok(await fs.stat(live), 'a running process keeps its file');

    await spool.append(events(1));
    const names = await fs.readdir(dir);
    assert.equal(names.filter((n) => n.startsWith(`${process.pid}.`) && n.endsWith('.open')).length, 1, 'appends after a claim go to a new file');
  });

  it('replay writes spooled records with their outbox rows once, removing the file; a replay of the same records again adds nothing', async () => {
    const spooled = events(3);
    await spool.append(spooled);
    const copy = await fs.readFile((await fs.readdir(dir)).map((n) => path.join(dir, n))[0]!, 'utf8');
    const replay = new SpoolReplay(spool, sqlAuditEvents(db), { destinations: ['arr'] }, silent, 60_000);
    assert.equal(await replay.replay(), 3);
    assert.deepEqual(await fs.readdir(dir), []);

    // A replay that committed, then died before deleting its file: the file is replayed again.
    await fs.writeFile(path.join(dir, `${deadPid()}.${randomUUID()}.replay`), copy);
    assert.equal(await replay.replay(), 0);
    const ids = spooled.map((e) => e.id);
    const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE id = ANY($1::text[])', [ids]);
    const outbox = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_outbox WHERE destination = 'arr' AND event_id = ANY($1::text[])`, [ids]);
    assert.deepEqual([stored.rows[0]!.n, outbox.rows[0]!.n], [3, 3]);
    await replay.stop();
  });

  it('replay leaves the files while the database is unreachable', async () => {
    await spool.append(events(1));
    const replay = new SpoolReplay(spool, sqlAuditEvents(unreachable), { destinations: [] }, silent, 60_000);
    await assert.rejects(replay.replay(), StoreUnavailableError);
    assert.equal((await fs.readdir(dir)).length, 1);
  });
});
