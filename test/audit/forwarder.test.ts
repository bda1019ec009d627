import assert from 'node:assert/strict';
import { auditHealth } from '../../src/audit/audit-health';
import { AuditForwarder, type ForwarderSettings } from '../../src/audit/forwarder';
import { describeEachStore } from '../support/databases';
import { FakeSender } from './support/fake-sender';
import { events } from './support/fixtures';
import { sqlAuditOutbox, storeEvents } from './support/stores';

// Backoff long enough that a loaded machine can't make records due again between two calls that expect them not to be.
const SETTINGS: ForwarderSettings = { batchSize: 100, leaseMs: 60_000, retry: { baseMs: 300, maxMs: 5_000 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let destinationCounter = 0;
/** A destination name of its own per test: suites share a database. */
function uniqueDestination(): string {
  destinationCounter++;
  return `arr-${Date.now()}-${destinationCounter}`;
}

describeEachStore('audit forwarder and outbox state', (ctx) => {
  const outbox = () => sqlAuditOutbox(ctx.db);
  async function statusOf(destination: string) {
    const r = await ctx.db.query<{ status: string; n: number; attempts: number }>(
      'SELECT status, count(*)::int AS n, max(attempts)::int AS attempts FROM audit_outbox WHERE destination = $1 GROUP BY status ORDER BY status',
      [destination],
    );
    return Object.fromEntries(r.rows.map((x) => [x.status, { n: x.n, attempts: x.attempts }]));
  }

  it('delivers due records in batches, oldest first, and marks them sent', async () => {
    const name = uniqueDestination();
    const sender = new FakeSender(name);
    const list = events(250);
    await storeEvents(ctx.db, list, [name]);
    const forwarder = new AuditForwarder(outbox(), [sender], SETTINGS);
    const report = await forwarder.drain(name, 10_000);
    assert.deepEqual(report, { sent: 250, retried: 0, rejected: 0 });
    assert.equal(sender.batches, 3);
    assert.deepEqual(new Set(sender.delivered.map((e) => e.id)), new Set(list.map((e) => e.id)));
    assert.deepEqual(await statusOf(name), { sent: { n: 250, attempts: 1 } });
    assert.deepEqual(await forwarder.forwardBatch(name), { sent: 0, retried: 0, rejected: 0 });
    const [health] = await auditHealth(outbox(), [name]);
    assert.equal(health!.pending, 0);
    assert.ok(health!.lastSentAt instanceof Date);
  });

  it('a failing destination keeps records pending with backoff, then delivers them; nothing is lost', async () => {
    const name = uniqueDestination();
    const sender = new FakeSender(name);
    sender.verdict = () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6514');
    };
    const list = events(30);
    await storeEvents(ctx.db, list, [name]);
    const forwarder = new AuditForwarder(outbox(), [sender], SETTINGS);

    assert.deepEqual(await forwarder.drain(name, 10_000), { sent: 0, retried: 30, rejected: 0 });
    assert.deepEqual(await statusOf(name), { pending: { n: 30, attempts: 1 } });
    const [health] = await auditHealth(outbox(), [name]);
    assert.equal(health!.pending, 30);
    assert.equal(health!.lastError, 'connect ECONNREFUSED 127.0.0.1:6514');
    assert.ok(health!.oldestPendingAt instanceof Date);
    assert.equal(health!.lastSentAt, undefined);
    // Backing off: not due again at once.
    assert.deepEqual(await forwarder.forwardBatch(name), { sent: 0, retried: 0, rejected: 0 });

    await sleep(350);
    assert.deepEqual(await forwarder.drain(name, 10_000), { sent: 0, retried: 30, rejected: 0 });
    assert.deepEqual(await statusOf(name), { pending: { n: 30, attempts: 2 } });

    sender.verdict = () => ({ status: 'sent' });
    await sleep(650); // second backoff: 600 ms
    assert.deepEqual(await forwarder.drain(name, 10_000), { sent: 30, retried: 0, rejected: 0 });
    assert.deepEqual(await statusOf(name), { sent: { n: 30, attempts: 3 } });
    assert.equal(sender.delivered.length, 30);
  });

  it('rejected records are kept as failed, shown in health, and can be requeued', async () => {
    const name = uniqueDestination();
    const sender = new FakeSender(name);
    const list = events(4);
    const bad = new Set([list[1]!.id, list[3]!.id]);
    sender.verdict = (e) => (bad.has(e.id) ? { status: 'rejected', error: 'HTTP 400: invalid AuditEvent' } : { status: 'sent' });
    await storeEvents(ctx.db, list, [name]);
    const forwarder = new AuditForwarder(outbox(), [sender], SETTINGS);
    assert.deepEqual(await forwarder.drain(name, 10_000), { sent: 2, retried: 0, rejected: 2 });
    assert.deepEqual(await statusOf(name), { failed: { n: 2, attempts: 1 }, sent: { n: 2, attempts: 1 } });
    const [health] = await auditHealth(outbox(), [name]);
    assert.deepEqual([health!.pending, health!.failed, health!.lastError], [0, 2, 'HTTP 400: invalid AuditEvent']);

    assert.equal(await outbox().requeueFailed(name), 2);
    sender.verdict = () => ({ status: 'sent' });
    assert.deepEqual(await forwarder.drain(name, 10_000), { sent: 2, retried: 0, rejected: 0 });
    assert.deepEqual(await statusOf(name), { sent: { n: 4, attempts: 2 } });
  });

  it('a claim is a lease: a sender that dies after claiming loses nothing, the records come back when it runs out', async () => {
    const name = uniqueDestination();
    await storeEvents(ctx.db, events(5), [name]);
    const first = await outbox().claimDue(name, 100, 400);
    assert.equal(first.length, 5);
    assert.equal((await outbox().claimDue(name, 100, 400)).length, 0, 'leased');
    await sleep(500);
    const again = await outbox().claimDue(name, 100, 60_000);
    assert.deepEqual(again.map((c) => c.eventId).sort(), first.map((c) => c.eventId).sort());
    assert.ok(again.every((c) => c.attempts === 0 && c.event.resourceType === 'AuditEvent'));
  });

  it('delivered rows are pruned after retention; the events stay', async () => {
    const name = uniqueDestination();
    const list = events(3);
    await storeEvents(ctx.db, list, [name]);
    await new AuditForwarder(outbox(), [new FakeSender(name)], SETTINGS).drain(name, 10_000);
    assert.equal(await outbox().pruneSent(60_000), 0);
    await sleep(20);
    assert.ok((await outbox().pruneSent(10)) >= 3);
    assert.deepEqual(await statusOf(name), {});
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE id = ANY($1::text[])', [list.map((e) => e.id)]);
    assert.equal(r.rows[0]!.n, 3);
  });

  it('health lists destinations no longer configured that still hold records', async () => {
    const gone = uniqueDestination();
    await storeEvents(ctx.db, events(2), [gone]);
    const health = await auditHealth(outbox(), ['configured-but-empty']);
    assert.deepEqual(health.find((h) => h.destination === 'configured-but-empty'), { destination: 'configured-but-empty', configured: true, pending: 0, failed: 0 });
    const stale = health.find((h) => h.destination === gone);
    assert.equal(stale?.configured, false);
    assert.equal(stale?.pending, 2);
  });

  // PGlite has one connection: its claims serialise anyway, so this applies to PostgreSQL only.
  if (ctx.kind === 'postgres') it('concurrent claims (several gateway processes on PostgreSQL) never take the same record', async () => {
    const name = uniqueDestination();
    await storeEvents(ctx.db, events(300), [name]);
    const claims = await Promise.all(Array.from({ length: 4 }, () => outbox().claimDue(name, 120, 60_000)));
    const ids = claims.flatMap((c) => c.map((x) => x.eventId));
    assert.equal(ids.length, 300);
    assert.equal(new Set(ids).size, 300);
  });
});
