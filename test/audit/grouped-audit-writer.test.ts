import assert from 'node:assert/strict';
import { AuditTrail } from '../../src/audit/audit-trail';
import type { QueryResult, SqlExecutor } from '../../src/store/sql/database';
import { transactionHandle } from '../../src/store/sql/store-handles';
import { describeEachStore } from '../support/databases';
import { CONTEXT, createInput } from './support/fixtures';
import { sqlAuditEvents } from './support/stores';

/** A fake executor that counts statements and lets a test hold a write open. */
function countingDb(): SqlExecutor & { statements: number; rows: number; release: () => void; fail?: Error } {
  let gate: (() => void) | undefined;
  const db = {
    statements: 0,
    rows: 0,
    fail: undefined as Error | undefined,
    release: () => gate?.(),
    async query<R>(_text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      db.statements++;
      db.rows += (JSON.parse(String(params[0])) as unknown[]).length;
      await new Promise<void>((r) => (gate = r));
      if (db.fail) throw db.fail;
      return { rows: [], rowCount: 0 };
    },
    async exec() {},
  };
  return db;
}

describe('grouped audit records (read and search records share commits)', () => {
  it('records arriving during a write go out together in the next statement', async () => {
    const db = countingDb();
    const trail = new AuditTrail(CONTEXT, [], sqlAuditEvents(db));
    const first = trail.record(createInput());
    await new Promise((r) => setImmediate(r));
    const rest = Array.from({ length: 15 }, () => trail.record(createInput()));
    db.release();
    await first;
    await new Promise((r) => setImmediate(r));
    db.release();
    await Promise.all(rest);
    assert.equal(db.statements, 2);
    assert.equal(db.rows, 16);
  });

  it('a record is not acknowledged before its statement completes, and a failure rejects its batch', async () => {
    const db = countingDb();
    const trail = new AuditTrail(CONTEXT, [], sqlAuditEvents(db));
    let acknowledged = false;
    const p = trail.record(createInput()).then(() => (acknowledged = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(acknowledged, false);
    db.fail = new Error('disk full');
    db.release();
    await assert.rejects(p, /disk full/);
  });

  it('another executor (a caller\'s transaction) is written directly, not grouped', async () => {
    const shared = countingDb();
    const tx = countingDb();
    const trail = new AuditTrail(CONTEXT, [], sqlAuditEvents(shared));
    const p = trail.record(createInput(), transactionHandle(tx));
    await new Promise((r) => setImmediate(r));
    tx.release();
    await p;
    assert.equal(tx.statements, 1);
    assert.equal(shared.statements, 0);
  });
});

describeEachStore('grouped audit records on a real store', (ctx) => {
  it('sixteen concurrent records all commit', async () => {
    const trail = new AuditTrail(CONTEXT, ['arr'], sqlAuditEvents(ctx.db));
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    await Promise.all(Array.from({ length: 16 }, () => trail.record(createInput())));
    const after = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    assert.equal(after.rows[0]!.n - before.rows[0]!.n, 16);
    const outbox = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_outbox WHERE destination = 'arr'");
    assert.ok(outbox.rows[0]!.n >= 16);
  });
});
