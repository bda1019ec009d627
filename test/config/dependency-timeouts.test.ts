import assert from 'node:assert/strict';
import { parseDependencyTimeouts } from '../../src/dependency-timeouts';

describe('config: dependency timeouts', () => {
  it('defaults keep a request under a few seconds; the client query timeout follows the statement timeout', () => {
    assert.deepEqual(parseDependencyTimeouts({}), {
      databaseConnectMs: 2_000,
      databaseStatementMs: 4_000,
      databaseQueryMs: 5_000,
      databaseTransactionMs: 10_000,
      databaseStartupMs: 60_000,
      redisConnectMs: 2_000,
      redisCommandMs: 2_000,
    });
    assert.equal(parseDependencyTimeouts({ DATABASE_STATEMENT_TIMEOUT_MS: '1500' }).databaseQueryMs, 2_500);
    assert.equal(parseDependencyTimeouts({ DATABASE_QUERY_TIMEOUT_MS: '900', REDIS_COMMAND_TIMEOUT_MS: '300' }).databaseQueryMs, 900);
    assert.equal(parseDependencyTimeouts({ DATABASE_TRANSACTION_TIMEOUT_MS: '1200' }).databaseTransactionMs, 1_200);
  });

  it('refuses what is not a positive whole number of milliseconds', () => {
    for (const bad of ['0', '-1', '1.5', 'soon']) {
      assert.throws(() => parseDependencyTimeouts({ DATABASE_CONNECT_TIMEOUT_MS: bad }), /DATABASE_CONNECT_TIMEOUT_MS must be a positive integer/);
    }
  });
});
