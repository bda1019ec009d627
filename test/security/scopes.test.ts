import assert from 'node:assert/strict';
import { hasPatientScope, scopeFor, scopesAllow, type Access } from '../../src/security/scopes';

const search: Access = { resource: 'DocumentReference', interaction: 'search' };
const create: Access = { resource: 'DocumentReference', interaction: 'create' };
const binaryRead: Access = { resource: 'Binary', interaction: 'read' };

describe('security: SMART scopes', () => {
  it('reads v1 scopes: read covers read and search, write covers create, update and delete', () => {
    assert.ok(scopesAllow(['system/DocumentReference.read'], search, false));
    assert.ok(!scopesAllow(['system/DocumentReference.read'], create, false));
    assert.ok(scopesAllow(['user/DocumentReference.write'], create, false));
    assert.ok(scopesAllow(['system/*.*'], binaryRead, false));
  });

  it('reads v2 scopes letter by letter', () => {
    assert.ok(scopesAllow(['system/DocumentReference.rs'], search, false));
    assert.ok(!scopesAllow(['system/DocumentReference.r'], search, false));
    assert.ok(scopesAllow(['system/*.cruds'], create, false));
    assert.ok(!scopesAllow(['system/*.rs'], create, false));
  });

  it('grants nothing for another resource type, a malformed scope or a v2 scope with a query', () => {
    assert.ok(!scopesAllow(['system/List.rs'], search, false));
    assert.ok(!scopesAllow(['system/DocumentReference.sr'], search, false), 'letters out of order are not a v2 scope');
    assert.ok(!scopesAllow(['DocumentReference.rs', 'openid', 'system/DocumentReference'], search, false));
    assert.ok(!scopesAllow(['system/DocumentReference.rs?category=x'], search, false));
  });

  it('counts patient/ scopes only with a patient context', () => {
    assert.ok(!scopesAllow(['patient/*.rs'], search, false));
    assert.ok(scopesAllow(['patient/*.rs'], search, true));
    assert.ok(hasPatientScope(['openid', 'patient/Binary.r']));
    assert.ok(!hasPatientScope(['system/*.rs']));
  });

  it('names the scope that would have been enough', () => {
    assert.equal(scopeFor(create), 'system/DocumentReference.c');
    assert.equal(scopeFor(binaryRead, 'patient'), 'patient/Binary.r');
  });
});
