import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { BearerVerifier } from '../../../src/security/bearer';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { refused } from './refused';
import { startStubIssuer, type StubIssuer } from './stub-issuer';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('security/bearer: JWT access tokens from a real OpenID provider', () => {
  let op: TestOidcProvider;
  let other: TestOidcProvider;
  let stub: StubIssuer;
  let verifier: BearerVerifier;

  before(async () => {
    [op, other, stub] = await Promise.all([startOidcProvider(), startOidcProvider(), startStubIssuer()]);
    verifier = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }, { issuer: stub.issuer, jwksUri: stub.jwksUri }], audiences: ['urn:other-gateway', op.audience] });
  });
  after(async () => {
    await Promise.all([op.close(), other.close(), stub.close()]);
  });

  it('verifies a client-credentials token: scopes, patient, purpose of use, client', async () => {
    const token = await op.token({ scope: 'system/DocumentReference.rs system/*.cruds', patient: 'Patient/123', purposeOfUse: 'TREAT' });
    assert.equal(decodeProtectedHeader(token).typ, 'at+jwt');
    const identity = await verifier.verify(token);
    assert.equal(identity.issuer, op.issuer);
    assert.equal(identity.subject, op.clients.system.clientId);
    assert.equal(identity.clientId, op.clients.system.clientId);
    assert.deepEqual(identity.scopes, ['system/DocumentReference.rs', 'system/*.cruds']);
    assert.equal(identity.patient, 'Patient/123');
    assert.deepEqual(identity.purposeOfUse, [{ code: 'TREAT' }]);
    assert.equal(identity.expiresAt?.getTime(), (decodeJwt(token).exp as number) * 1000);
  });

  it('verifies a patient app token with IUA claims, signed PS256 and ES256', async () => {
    const claims = {
      extensions: {
        ihe_iua: {
          subject_name: 'Jana Nováková',
          subject_organization_id: 'urn:oid:1.2.203.1',
          subject_role: { system: 'urn:oid:2.16.840.1.113883.6.96', code: '116154003' },
          purpose_of_use: { system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'PATRQT' },
          home_community_id: 'urn:oid:1.2.203.99',
        },
      },
    };
    for (const alg of ['PS256', 'ES256'] as const) {
      const token = await op.token({ clientId: op.clients.patientApp.clientId, scope: 'patient/*.rs launch/patient', patient: '7001011234', claims, alg });
      assert.equal(decodeProtectedHeader(token).alg, alg);
      const identity = await verifier.verify(token);
      assert.equal(identity.clientId, op.clients.patientApp.clientId);
      assert.deepEqual(identity.scopes, ['patient/*.rs', 'launch/patient']);
      assert.equal(identity.patient, '7001011234');
      assert.equal(identity.subjectName, 'Jana Nováková');
      assert.deepEqual(identity.organization, { id: 'urn:oid:1.2.203.1' });
      assert.deepEqual(identity.role, { system: 'urn:oid:2.16.840.1.113883.6.96', code: '116154003' });
      assert.deepEqual(identity.purposeOfUse, [{ system: 'urn:oid:2.16.840.1.113883.3.18.7.1', code: 'PATRQT' }]);
      assert.equal(identity.homeCommunityId, 'urn:oid:1.2.203.99');
    }
  });

  it('finds the keys by OpenID discovery when no jwksUri is configured', async () => {
    const discovering = new BearerVerifier({ issuers: [{ issuer: op.issuer }], audiences: [op.audience] });
    const identity = await discovering.verify(await op.token({ scope: 'system/*.rs' }));
    assert.deepEqual(identity.scopes, ['system/*.rs']);
  });

  it('refuses an expired token', async () => {
    const token = await op.token({ scope: 'system/*.rs', ttlSeconds: 1 });
    const exp = decodeJwt(token).exp as number;
    const later = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }], audiences: [op.audience], now: () => new Date((exp + 31) * 1000) });
    await refused(later.verify(token), 'invalid_token', /"exp"/);
    // Within the clock tolerance it still passes.
    const skewed = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }], audiences: [op.audience], now: () => new Date((exp + 20) * 1000) });
    await skewed.verify(token);
  });

  it('refuses a token for another audience', async () => {
    await refused(verifier.verify(await op.token({ scope: 'system/*.rs', resource: 'https://other-service.example/fhir' })), 'invalid_token', /"aud"/);
  });

  it('refuses a token of an untrusted issuer without asking it anything', async () => {
    const token = await other.token({ scope: 'system/*.rs' });
    const before = other.requestCounts();
    await refused(verifier.verify(token), 'invalid_token', /not trusted/);
    assert.deepEqual(other.requestCounts(), before);
  });

  it('refuses a token naming a trusted issuer but signed with another key', async () => {
    const genuine = await op.token({ scope: 'system/*.rs' });
    const { privateKey } = await generateKeyPair('RS256');
    for (const kid of [decodeProtectedHeader(genuine).kid, 'attacker-key', undefined]) {
      const forged = await new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...(kid ? { kid } : {}) }).sign(privateKey);
      await refused(verifier.verify(forged), 'invalid_token');
    }
    // The other provider's keys are no better.
    const foreign = (await other.token({ scope: 'system/*.rs' })).split('.');
    const [h, p] = genuine.split('.');
    await refused(verifier.verify(`${h}.${p}.${foreign[2]}`), 'invalid_token', /signature/);
  });

  it('refuses a tampered payload with the original signature', async () => {
    const [h, p, s] = (await op.token({ scope: 'system/*.rs', patient: 'p1' })).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    for (const change of [{ scope: 'system/*.cruds' }, { patient: 'p2' }, { exp: claims.exp + 3600 }]) {
      await refused(verifier.verify(`${h}.${b64({ ...claims, ...change })}.${s}`), 'invalid_token', /signature/);
    }
  });

  it('refuses alg none, also when the header claims a known kid', async () => {
    const genuine = await op.token({ scope: 'system/*.rs' });
    const unsigned = new UnsecuredJWT(decodeJwt(genuine)).encode();
    await refused(verifier.verify(unsigned), 'invalid_token', /algorithm "none"/);
    const [, p] = genuine.split('.');
    await refused(verifier.verify(`${b64({ alg: 'none', typ: 'at+jwt', kid: decodeProtectedHeader(genuine).kid })}.${p}.`), 'invalid_token', /"none"/);
    await refused(verifier.verify(`${b64({ alg: 'NONE' })}.${p}.`), 'invalid_token');
  });

  it('refuses HS256 with a guessable secret and with the issuer public key as the secret', async () => {
    const claims = decodeJwt(await op.token({ scope: 'system/*.rs' }));
    const jwks = (await (await fetch(op.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    const rsaPem = createPublicKey({ key: jwks.keys.find((k) => k.kty === 'RSA')!, format: 'jwk' } as never).export({ type: 'spki', format: 'pem' });
    const before = op.requestCounts().jwks;
    for (const secret of ['secret', rsaPem.toString()]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
      await refused(verifier.verify(forged), 'invalid_token', /HS256/);
    }
    assert.equal(op.requestCounts().jwks, before, 'no key lookup for a symmetric token');
  });

  it('refuses an algorithm outside the configured list', async () => {
    const esOnly = new BearerVerifier({ issuers: [{ issuer: op.issuer, jwksUri: op.jwksUri }], audiences: [op.audience], algorithms: ['ES256'] });
    await refused(esOnly.verify(await op.token({ scope: 'system/*.rs' })), 'invalid_token', /RS256/);
    await esOnly.verify(await op.token({ scope: 'system/*.rs', alg: 'ES256' }));
  });

  it('accepts typ at+jwt, JWT or none; refuses other typ, sender-constrained and exp-less tokens', async () => {
    const claims = { sub: 'svc', client_id: 'svc', aud: op.audience, scope: 'system/*.rs' };
    for (const typ of ['at+jwt', 'application/at+jwt', 'JWT', undefined]) {
      assert.equal((await verifier.verify(await stub.sign(claims, { typ }))).subject, 'svc');
    }
    for (const typ of ['dpop+jwt', 'secevent+jwt', 'JOSE']) {
      await refused(verifier.verify(await stub.sign(claims, { typ })), 'invalid_token', /typ/);
    }
    await refused(verifier.verify(await stub.sign({ ...claims, cnf: { jkt: 'abc' } })), 'invalid_token', /sender-constrained/);
    await refused(verifier.verify(await stub.sign({ ...claims, exp: undefined })), 'invalid_token', /"exp"/);
    await refused(verifier.verify(await stub.sign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 600 })), 'invalid_token', /"nbf"/);
    await refused(verifier.verify(await stub.sign({ ...claims, iss: op.issuer })), 'invalid_token', /(no applicable key|signature)/);
  });

  it('refuses garbage', async () => {
    for (const token of ['a.b.c', '..', 'eyJhbGciOiJSUzI1NiJ9.e30.', `${b64({ alg: 'RS256' })}.not-json.sig`, '']) {
      await refused(verifier.verify(token), 'invalid_token');
    }
  });

  it('refuses an opaque token when no introspection endpoint is configured', async () => {
    await refused(verifier.verify(await op.token({ scope: 'system/*.rs', opaque: true })), 'invalid_token', /introspection/);
  });
});
