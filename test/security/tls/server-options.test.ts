// httpsServerOptions: plain HTTPS without a client CA; mutual TLS with one or several CAs
// and their CRLs; configuration mistakes caught at start.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { clientCertificateOf } from '../../../src/security/tls/client-certificate';
import { httpsServerOptions } from '../../../src/security/tls/server-options';
import { createPki, type Pki } from '../support/pki';
import { call, startIdentityServer, waitForRejections } from './harness';

describe('httpsServerOptions', () => {
  let pki: Pki;

  before(async () => {
    pki = await createPki();
  });
  after(async () => {
    await pki?.cleanup();
  });

  describe('without clientCaFile', () => {
    it('serves plain HTTPS to clients without a certificate, with no client identity', async () => {
      const options = httpsServerOptions({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile });
      assert.equal(options.requestCert, undefined);
      assert.equal(options.minVersion, 'TLSv1.2');
      const server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile });
      try {
        const anonymous = await call(server.port, { ca: pki.ca });
        assert.equal(anonymous.status, 200, JSON.stringify(anonymous));
        assert.equal(anonymous.identity, null);
        // A certificate the server did not ask for is not sent, and is no identity.
        const withCert = await call(server.port, { ca: pki.ca, cert: pki.good.cert, key: pki.good.key });
        assert.equal(withCert.status, 200);
        assert.equal(withCert.identity, null);
      } finally {
        await server.close();
      }
    });

    it('refuses TLS 1.1 and older', async () => {
      const server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile });
      try {
        const r = await call(server.port, { ca: pki.ca, maxVersion: 'TLSv1.1', tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } });
        assert.equal(r.status, undefined);
        assert.ok(r.error);
      } finally {
        await server.close();
      }
    });
  });

  describe('with clientCaFile', () => {
    it('requests and requires a client certificate, trusting only the bundle', () => {
      const options = httpsServerOptions({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: pki.caFile, crlFile: pki.crlFile });
      assert.equal(options.requestCert, true);
      assert.equal(options.rejectUnauthorized, true);
      assert.deepEqual(options.ca, pki.ca);
      assert.deepEqual(options.crl, [pki.crl.toString().trim()]);
    });

    it('without a CRL: verifies the chain but cannot know about revocations', async () => {
      const server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: pki.caFile });
      try {
        assert.equal((await call(server.port, { ca: pki.ca, cert: pki.good.cert, key: pki.good.key })).status, 200);
        assert.equal((await call(server.port, { ca: pki.ca, cert: pki.revoked.cert, key: pki.revoked.key })).status, 200);
        assert.equal((await call(server.port, { ca: pki.ca, cert: pki.stranger.cert, key: pki.stranger.key })).status, undefined);
      } finally {
        await server.close();
      }
    });

    describe('two trusted CAs', () => {
      let caBundle: string;
      before(async () => {
        caBundle = path.join(pki.dir, 'two-cas.pem');
        await writeFile(caBundle, Buffer.concat([pki.ca, pki.strangerCa.ca]));
      });

      it('applies every CRL of a PEM file holding several (Node alone would keep only the first)', async () => {
        const crls = path.join(pki.dir, 'two-crls.pem');
        // The central CA's CRL second: dropped, its nodes would all fail with UNABLE_TO_GET_CRL.
        await writeFile(crls, Buffer.concat([await readFile(pki.strangerCa.crlFile), pki.crl]));
        const server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: caBundle, crlFile: crls });
        try {
          const good = await call(server.port, { ca: pki.ca, cert: pki.good.cert, key: pki.good.key });
          assert.equal(good.status, 200, JSON.stringify(good));
          const stranger = await call(server.port, { ca: pki.ca, cert: pki.stranger.cert, key: pki.stranger.key });
          assert.equal(stranger.status, 200);
          assert.equal(stranger.identity?.issuerDn, 'CN=Stranger Root CA,O=Stranger Health');
          assert.equal((await call(server.port, { ca: pki.ca, cert: pki.revoked.cert, key: pki.revoked.key })).status, undefined);
          assert.deepEqual((await waitForRejections(server, 1)).map((e) => e.reason), ['CERT_REVOKED']);
        } finally {
          await server.close();
        }
      });

      it('refuses clients of a trusted CA that has no CRL in the file (UNABLE_TO_GET_CRL)', async () => {
        const server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: caBundle, crlFile: pki.crlFile });
        try {
          assert.equal((await call(server.port, { ca: pki.ca, cert: pki.good.cert, key: pki.good.key })).status, 200);
          assert.equal((await call(server.port, { ca: pki.ca, cert: pki.stranger.cert, key: pki.stranger.key })).status, undefined);
          assert.deepEqual((await waitForRejections(server, 1)).map((e) => e.reason), ['UNABLE_TO_GET_CRL']);
        } finally {
          await server.close();
        }
      });
    });
  });

  describe('configuration mistakes fail the start', () => {
    const base = () => ({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile });

    it('a CRL without a client CA', () => {
      assert.throws(() => httpsServerOptions({ ...base(), crlFile: pki.crlFile }), /crlFile .* requires clientCaFile/);
    });

    it('a missing file, named in the message', () => {
      const missing = path.join(pki.dir, 'nope.pem');
      assert.throws(() => httpsServerOptions({ ...base(), keyFile: missing }), (e: Error) => e.message.includes(`keyFile ${missing}`));
      assert.throws(() => httpsServerOptions({ ...base(), clientCaFile: missing }), /cannot read clientCaFile/);
    });

    it('a CRL file without a PEM CRL', async () => {
      const der = path.join(pki.dir, 'not-a-crl.pem');
      await writeFile(der, 'hello\n');
      assert.throws(() => httpsServerOptions({ ...base(), clientCaFile: pki.caFile, crlFile: der }), /holds no PEM CRL/);
    });

    it('a corrupt CRL, or a key that does not match the certificate', async () => {
      const broken = path.join(pki.dir, 'broken-crl.pem');
      await writeFile(broken, '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n');
      assert.throws(() => httpsServerOptions({ ...base(), clientCaFile: pki.caFile, crlFile: broken }), /cannot use .*broken-crl\.pem/);
      assert.throws(() => httpsServerOptions({ ...base(), keyFile: pki.good.keyFile }), /cannot use/);
    });
  });
});

describe('clientCertificateOf', () => {
  it('is undefined for a socket that is not TLS', () => {
    assert.equal(clientCertificateOf(new net.Socket()), undefined);
  });
});
