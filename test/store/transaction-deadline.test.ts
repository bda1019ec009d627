// The overall limit of a PostgreSQL transaction (src/store/sql/transaction-deadline.ts) against
// the real server: a transaction held up by another session's lock, or made of many statements
// each within the statement limits, is rolled back past DATABASE_TRANSACTION_TIMEOUT_MS and fails
// as unavailable (503 / XDSRegistryBusy); nothing it wrote stays, its session and locks are gone,
// and the database stays in service for everyone else.
import assert from 'node:assert/strict';
import pg from 'pg';
import { StoreUnavailableError } from '../../src/domain/store-unavailable';
import { PostgresDatabase } from '../../src/store/sql/postgres';
import { TransactionTimeoutError } from '../../src/store/sql/transaction-deadline';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needService } from '../support/services';

const LIMIT_MS = 600;

describe('store: the overall limit of a PostgreSQL transaction', function () {
  this.timeout(30_000);
  let schema: PgSchema;
  let db: PostgresDatabase;
  let holder: pg.Client;

  before(async function () {
    const url = await needService(this, 'postgres');
    schema = await createPgSchema(url, 'txdl');
    // Statement limits far above the transaction's, so only the transaction limit can end it.
    db = new PostgresDatabase({ connectionString: schema.url, maxConnections: 4, timeouts: { statementMs: 20_000, queryMs: 25_000, transactionMs: LIMIT_MS } });
    await db.exec('CREATE TABLE written (n int); CREATE TABLE locked (n int)');
    holder = new pg.Client({ connectionString: schema.url });
    await holder.connect();
  });
  after(async () => {
    await holder?.end();
    await db?.close();
    await schema?.drop();
  });
  beforeEach(() => db.exec('DELETE FROM written'));

  async function rowsWritten(): Promise<number> {
    return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM written')).rows[0]!.n;
  }

  async function timedFailure(work: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
    const started = Date.now();
    const err = await work.then(
      () => assert.fail('the transaction must not succeed'),
      (e: unknown) => e,
    );
    return { err, ms: Date.now() - started };
  }

  it('a transaction that finishes within the limit commits as before', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO written VALUES (1)');
      await tx.query('INSERT INTO written VALUES (2)');
    });
    assert.equal(await rowsWritten(), 2);
  });

  it('waiting on a lock past the limit: rolled back, its session ended, the database still in service', async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
    try {
      const { err, ms } = await timedFailure(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO written VALUES (1)');
          await tx.query('INSERT INTO locked VALUES (1)');
        }),
      );
      assert.ok(err instanceof TransactionTimeoutError, String(err));
      assert.ok(err instanceof StoreUnavailableError, 'answered as busy: 503 / XDSRegistryBusy');
      assert.ok(ms >= LIMIT_MS && ms < LIMIT_MS + 3_000, `failed after ${ms} ms`);
      // The server is alive: other work goes on at once (no refusal while a probe decides).
      assert.equal((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1);
      assert.equal(await rowsWritten(), 0, 'nothing of the transaction stayed');
      // Its session was ended, not left waiting on the lock: nobody else waits on the holder.
      const deadline = Date.now() + 5_000;
      for (;;) {
        const waiting = await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'locked'::regclass");
        if (waiting.rows[0].n === 0) break;
        assert.ok(Date.now() < deadline, 'the timed-out session still waits on the lock');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await holder.query('ROLLBACK');
    }
    assert.equal(await rowsWritten(), 0, 'nothing appears once the lock is released either');
  });

  it('many statements, each quick, past the limit in sum: rolled back', async () => {
    const { err, ms } = await timedFailure(
      db.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await tx.query('INSERT INTO written SELECT 1 FROM pg_sleep(0.05)');
      }),
    );
    assert.ok(err instanceof TransactionTimeoutError, String(err));
    assert.ok(ms < LIMIT_MS + 3_000, `failed after ${ms} ms`);
    assert.equal(await rowsWritten(), 0);
  });

  it('work between statements counts too; later statements of a timed-out transaction fail at once', async () => {
    let late: unknown;
    const { err } = await timedFailure(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO written VALUES (1)');
        await new Promise((r) => setTimeout(r, LIMIT_MS + 400));
        late = await tx.query('INSERT INTO written VALUES (2)').catch((e: unknown) => e);
      }),
    );
    assert.ok(err instanceof TransactionTimeoutError, String(err));
    await new Promise((r) => setTimeout(r, LIMIT_MS + 600));
    assert.ok(late instanceof TransactionTimeoutError, String(late));
    assert.equal(await rowsWritten(), 0);
  });
});
