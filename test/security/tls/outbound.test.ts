// outboundTlsOptions: the gateway as a client presenting its certificate to a mutual TLS peer.
import assert from 'node:assert/strict';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { outboundTlsOptions } from '../../../src/security/tls/outbound';
import { createPki, type Pki } from '../support/pki';
import { call, startIdentityServer, type IdentityServer } from './harness';

describe('outboundTlsOptions', () => {
  let pki: Pki;
  let server: IdentityServer;

  before(async () => {
    pki = await createPki();
    server = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: pki.caFile, crlFile: pki.crlFile });
  });
  after(async () => {
    await server?.close();
    await pki?.cleanup();
  });

  const node2 = () => outboundTlsOptions({ certFile: pki.client('node-2').certFile, keyFile: pki.client('node-2').keyFile, caFile: pki.caFile });

  it('lets an https.Agent call a mutual TLS server with the configured certificate', async () => {
    const agent = new https.Agent({ ...node2(), keepAlive: true });
    try {
      for (let i = 0; i < 2; i++) {
        const r = await call(server.port, { agent });
        assert.equal(r.status, 200, JSON.stringify(r));
        assert.equal(r.identity?.subject, 'node-2.hospital.test');
      }
    } finally {
      agent.destroy();
    }
  });

  it('works for tls.connect as well, verifying the server', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, ...node2() });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      assert.equal(socket.authorized, true);
      assert.match(socket.getProtocol() ?? '', /^TLSv1\.[23]$/);
    } finally {
      socket.destroy();
    }
  });

  it('refuses a server its CA bundle does not vouch for', async () => {
    const options = outboundTlsOptions({ certFile: pki.good.certFile, keyFile: pki.good.keyFile, caFile: pki.strangerCa.caFile });
    assert.equal(options.rejectUnauthorized, true);
    const r = await call(server.port, { tls: options });
    assert.equal(r.status, undefined);
    // The server sends its CA along (it is in its client CA bundle), so the client sees an untrusted root.
    assert.equal(r.error?.code, 'SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('without a certificate: a plain TLS client, refused by a mutual TLS server', async () => {
    const options = outboundTlsOptions({ caFile: pki.caFile });
    assert.equal(options.cert, undefined);
    assert.equal((await call(server.port, { tls: options })).status, undefined);
  });

  it('checks its configuration', () => {
    assert.throws(() => outboundTlsOptions({ certFile: pki.good.certFile }), /go together/);
    assert.throws(() => outboundTlsOptions({ caFile: path.join(pki.dir, 'missing.pem') }), /cannot read caFile/);
    assert.equal(outboundTlsOptions({ servername: 'gateway.hospital.test' }).servername, 'gateway.hospital.test');
    assert.equal(outboundTlsOptions({}).minVersion, 'TLSv1.2');
  });
});
