import assert from 'node:assert/strict';
import { StoreUnavailableError } from '../../src/domain/store-unavailable';
import { storeError } from '../../src/store/sql/connection-failure';
import { StatementDeadlines } from '../../src/store/sql/statement-deadlines';

describe('store: the client-side deadline of a statement (a frozen server)', () => {
  it('an answer within the limit is passed on, value or error', async () => {
    const deadlines = new StatementDeadlines(200);
    assert.equal(await deadlines.run(Promise.resolve(7)), 7);
    await assert.rejects(deadlines.run(Promise.reject(new Error('syntax error'))), /syntax error/);
    deadlines.close();
  });

  it('a statement with no answer fails after the limit, as the database being unreachable', async () => {
    const deadlines = new StatementDeadlines(40);
    const started = Date.now();
    const err = await deadlines.run(new Promise(() => undefined)).then(
      () => assert.fail('a statement that never answers must fail'),
      (e: unknown) => e,
    );
    assert.ok(Date.now() - started >= 40);
    assert.ok(storeError(err) instanceof StoreUnavailableError);
    deadlines.close();
  });

  it('a late answer after the deadline changes nothing', async () => {
    const deadlines = new StatementDeadlines(20);
    let answer: (v: number) => void = () => undefined;
    const outcome = deadlines.run(new Promise<number>((resolve) => (answer = resolve)));
    await assert.rejects(outcome, /Query read timeout/);
    answer(1);
    await assert.rejects(outcome, /Query read timeout/);
    deadlines.close();
  });
});
