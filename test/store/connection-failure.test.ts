import assert from 'node:assert/strict';
import { StoreUnavailableError } from '../../src/domain/store-unavailable';
import { isConnectionFailure, storeError } from '../../src/store/sql/connection-failure';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('store: which driver errors mean the database is unreachable', () => {
  it('a restart, a refused or lost connection and the driver timeouts are', () => {
    for (const err of [
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('connection failure', '08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''),
    ]) {
      assert.ok(isConnectionFailure(err), err.message);
      const mapped = storeError(err);
      assert.ok(mapped instanceof StoreUnavailableError);
      assert.equal(mapped.errors[0]!.code, 'XDSRegistryBusy');
    }
  });

  it('a statement the database rejects is not, and stays what it was', () => {
    const unique = withCode('duplicate key value violates unique constraint', '23505');
    assert.equal(isConnectionFailure(unique), false);
    assert.equal(storeError(unique), unique);
    assert.equal(isConnectionFailure(withCode('syntax error', '42601')), false);
    assert.equal(isConnectionFailure('not an error'), false);
  });
});
