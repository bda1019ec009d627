// Mutual TLS on a real HTTPS listener: who gets an answer, and what is reported for those
// refused during the handshake.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import { NO_CLIENT_CERTIFICATE } from '../../../src/security/tls/rejections';
import { createPki, type Credentials, type Pki } from '../support/pki';
import { call, startIdentityServer, waitForRejections, type CallResult, type IdentityServer } from './harness';

describe('mutual TLS listener (client CA + CRL)', () => {
  let pki: Pki;
  let server: IdentityServer;

  before(async () => {
    pki = await createPki();
  });
  after(async () => {
    await pki?.cleanup();
  });
  beforeEach(async () => {
    server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: pki.caFile, crlFile: pki.crlFile });
  });
  afterEach(async () => {
    await server?.close();
  });

  const as = (c: Credentials | undefined, maxVersion?: tls.SecureVersion): Promise<CallResult> =>
    call(server.port, { ca: pki.ca, ...(c ? { cert: c.cert, key: c.key } : {}), ...(maxVersion ? { maxVersion } : {}) });

  it('answers a node with a valid certificate, and tells the handler who it is', async () => {
    const r = await as(pki.good);
    assert.equal(r.status, 200, JSON.stringify(r));
    assert.deepEqual(r.identity, {
      subject: 'node-1.hospital.test',
      organization: 'Nemocnice Test',
      subjectDn: 'CN=node-1.hospital.test,O=Nemocnice Test',
      issuerDn: 'CN=Test HIE Root CA,O=Nemocnice Test',
      serialNumber: pki.good.serialNumber,
      fingerprint256: new X509Certificate(pki.good.cert).fingerprint256,
    });
    assert.deepEqual(server.rejections, []);
  });

  it('tells nodes apart by their own certificate', async () => {
    const r = await as(pki.client('node-2'));
    assert.equal(r.status, 200);
    assert.equal(r.identity?.subject, 'node-2.hospital.test');
    assert.equal(r.identity?.serialNumber, pki.client('node-2').serialNumber);
    assert.notEqual(r.identity?.serialNumber, pki.good.serialNumber);
  });

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    describe(`refusals, client limited to ${maxVersion}`, () => {
      /** Refused: no HTTP response, the handler never ran, one rejection reported from 127.0.0.1. */
      async function refused(c: Credentials | undefined, reason: string): Promise<CallResult> {
        const r = await as(c, maxVersion);
        assert.equal(r.status, undefined, `got an HTTP response: ${JSON.stringify(r)}`);
        assert.ok(r.error, 'the call must fail');
        const [event] = await waitForRejections(server, 1);
        assert.equal(event!.reason, reason);
        assert.equal(event!.address, '127.0.0.1');
        assert.equal(server.requests, 0, 'no request may reach the handler');
        return r;
      }

      it('refuses a certificate from an unknown CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)', async () => {
        const r = await refused(pki.stranger, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
        // No TLS alert: Node's verify callback lets the handshake finish and Node closes after.
        assert.equal(r.error!.code, 'ECONNRESET');
      });

      it('refuses a revoked certificate (CERT_REVOKED)', async () => {
        const r = await refused(pki.revoked, 'CERT_REVOKED');
        assert.equal(r.error!.code, 'ECONNRESET');
      });

      it('refuses a client without a certificate (TLS alert)', async () => {
        const r = await refused(undefined, NO_CLIENT_CERTIFICATE);
        // OpenSSL itself aborts the handshake: certificate_required (116) in TLS 1.3, handshake_failure (40) in 1.2.
        if (maxVersion === 'TLSv1.3') assert.equal(r.error!.code, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
        else assert.match(r.error!.message, /alert handshake failure/);
      });

      it('refuses a certificate of the trusted CA that is not for client authentication (INVALID_PURPOSE)', async () => {
        // The server's own certificate (extendedKeyUsage serverAuth): its key sits on the
        // gateway host, it must not double as a node identity.
        await refused(pki.server, 'INVALID_PURPOSE');
      });
    });
  }

  it('reports each refused connection once, and keeps serving good clients meanwhile', async () => {
    const results = await Promise.all([as(pki.revoked), as(pki.good), as(pki.stranger), as(undefined), as(pki.client('node-2'))]);
    assert.deepEqual(
      results.map((r) => r.status),
      [undefined, 200, undefined, undefined, 200],
    );
    const events = await waitForRejections(server, 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(events.map((e) => e.reason).sort(), ['CERT_REVOKED', NO_CLIENT_CERTIFICATE, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    assert.equal(server.requests, 2);
  });
});
