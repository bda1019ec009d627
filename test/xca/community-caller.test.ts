import assert from 'node:assert/strict';
import { AccessDeniedError } from '../../src/domain/access-denied';
import type { Principal } from '../../src/domain/principal';
import type { AuditedCall } from '../../src/xds/handler';
import type { SoapRequest } from '../../src/soap';
import { fromCommunity } from '../../src/xca/responding-gateway/community-caller';

describe('Responding Gateway with AUTH=on: only authenticated communities', () => {
  const reply = { action: 'urn:ihe:iti:2007:CrossGatewayQueryResponse', body: [] };
  const handler = fromCommunity(async () => reply, true);
  const call = (principal: Principal) => handler({} as SoapRequest, { principal } as AuditedCall);

  it('answers a caller whose assertion or token names its community, or a gateway with a client certificate', async () => {
    assert.equal(await call({ subject: 'dr', authenticatedBy: 'saml', homeCommunityId: 'urn:oid:1.2.3' }), reply);
    assert.equal(await call({ subject: 'CN=node-1', authenticatedBy: 'certificate' }), reply);
  });

  it('refuses a caller that names no community', async () => {
    await assert.rejects(call({ subject: 'app', authenticatedBy: 'token' }), AccessDeniedError);
  });

  it('with AUTH=off the check is not made', async () => {
    assert.equal(await fromCommunity(async () => reply, false)({} as SoapRequest, { principal: { subject: 'system' } } as AuditedCall), reply);
  });
});
