// Revocation while the listener runs: a new CRL loaded with reloadTlsContext (or picked up
// by watchTlsContext) applies to the next connection, including one that tries to resume a
// TLS session made before the revocation; stale CRLs refuse everybody.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import type { TlsListenerConfig } from '../../../src/security/tls/config';
import { reloadTlsContext, watchTlsContext } from '../../../src/security/tls/reload';
import { createPki, type Credentials, type Pki } from '../support/pki';
import { call, startIdentityServer, waitForRejections, type CallResult, type IdentityServer } from './harness';

describe('CRL reload on a running mutual TLS listener', () => {
  // A fresh PKI per test: these tests revoke certificates.
  let pki: Pki;
  let server: IdentityServer;
  let config: TlsListenerConfig;

  beforeEach(async () => {
    pki = await createPki();
    config = { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, clientCaFile: pki.caFile, crlFile: pki.crlFile };
    server = await startIdentityServer(config);
  });
  afterEach(async () => {
    await server?.close();
    await pki?.cleanup();
  });

  const as = (c: Credentials, agent?: https.Agent): Promise<CallResult> => call(server.port, { ca: pki.ca, cert: c.cert, key: c.key, ...(agent ? { agent } : {}) });

  it('refuses a node on its next connection once its revocation is loaded', async () => {
    assert.equal((await as(pki.good)).status, 200);
    await pki.revoke(pki.good.name);
    // Revoked in the file only: the running context still has the old CRL.
    assert.equal((await as(pki.good)).status, 200);

    reloadTlsContext(server.server, config);
    const r = await as(pki.good);
    assert.equal(r.status, undefined, JSON.stringify(r));
    assert.equal((await waitForRejections(server, 1))[0]!.reason, 'CERT_REVOKED');
    // The others are unaffected.
    assert.equal((await as(pki.client('node-2'))).status, 200);
    assert.equal((await as(pki.revoked)).status, undefined);
  });

  for (const ticketKeys of [undefined, randomBytes(48)]) {
    it(`does not let a client resume a TLS session made before its revocation${ticketKeys ? ' (server started with fixed ticket keys)' : ''}`, async () => {
      // A resumed session is not verified again: were the old tickets still accepted, the
      // revoked node would get in on its cached session (checked: it does, without the
      // ticket key rotation in reloadTlsContext).
      if (ticketKeys) {
        await server.close();
        server = await startIdentityServer(config, { ticketKeys });
      }
      await resumeAfterRevocation();
    });
  }

  async function resumeAfterRevocation(): Promise<void> {
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10 });
    try {
      assert.equal((await as(pki.good, agent)).status, 200);
      // TLS 1.3 tickets arrive after the handshake; give the agent a moment to cache one.
      await new Promise((r) => setTimeout(r, 50));
      const resumed = await as(pki.good, agent);
      assert.equal(resumed.status, 200);
      assert.equal(resumed.reused, true, 'the agent must resume sessions, or this test proves nothing');

      await pki.revoke(pki.good.name);
      reloadTlsContext(server.server, config);
      const r = await as(pki.good, agent);
      assert.equal(r.status, undefined, `resumed past the revocation: ${JSON.stringify(r)}`);
      assert.equal((await waitForRejections(server, 1))[0]!.reason, 'CERT_REVOKED');
    } finally {
      agent.destroy();
    }
  }

  it('refuses everybody with CRL_HAS_EXPIRED while the CRL is stale, until a fresh one is loaded', async () => {
    const hour = 3600_000;
    await pki.issueCrl({ lastUpdate: new Date(Date.now() - 48 * hour), nextUpdate: new Date(Date.now() - hour) });
    reloadTlsContext(server.server, config);
    assert.equal((await as(pki.good)).status, undefined);
    assert.equal((await waitForRejections(server, 1))[0]!.reason, 'CRL_HAS_EXPIRED');

    await pki.issueCrl();
    reloadTlsContext(server.server, config);
    assert.equal((await as(pki.good)).status, 200);
  });

  it('keeps the current context when the new files are unusable', async () => {
    await writeFile(pki.crlFile, 'not a CRL\n');
    assert.throws(() => reloadTlsContext(server.server, config), /holds no PEM CRL/);
    await copyFile(pki.caFile, pki.crlFile); // PEM, but a certificate
    assert.throws(() => reloadTlsContext(server.server, config), /holds no PEM CRL/);
    await pki.issueCrl();
    assert.throws(() => reloadTlsContext(server.server, { ...config, keyFile: pki.good.keyFile }), /cannot use/);
    assert.throws(() => reloadTlsContext(server.server, { ...config, crlFile: path.join(pki.dir, 'missing.pem') }), /cannot read crlFile/);
    // Still checking with the CRL it had.
    assert.equal((await as(pki.good)).status, 200);
    assert.equal((await as(pki.revoked)).status, undefined);
  });

  it('will not drop or add client certificate checking on reload (needs a restart)', async () => {
    // Without clientCaFile, Node would verify clients against its public root store.
    assert.throws(() => reloadTlsContext(server.server, { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile }), /clientCaFile cannot be dropped/);
    const plain = await startIdentityServer({ certFile: pki.serverCertFile, keyFile: pki.serverKeyFile });
    try {
      assert.throws(() => reloadTlsContext(plain.server, config), /needs a restart/);
    } finally {
      await plain.close();
    }
    assert.equal((await as(pki.good)).status, 200);
  });

  it('watchTlsContext picks up a re-issued CRL by itself', async () => {
    const reloads: string[] = [];
    const watch = watchTlsContext(server.server, config, { intervalMs: 50, onReload: () => reloads.push('ok'), onError: (e) => reloads.push(e.message) });
    try {
      assert.equal((await as(pki.good)).status, 200);
      await pki.revoke(pki.good.name);
      // A poll may catch the file half-written: that reload fails (the old context stays)
      // and the next change reloads again.
      const deadline = Date.now() + 5000;
      while (!reloads.includes('ok') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(reloads.includes('ok'), JSON.stringify(reloads));
      assert.equal((await as(pki.good)).status, undefined);
      assert.equal((await as(pki.client('node-2'))).status, 200);
    } finally {
      watch.close();
    }
  });
});
