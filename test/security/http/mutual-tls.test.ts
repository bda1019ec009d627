// Mutual TLS end to end: the gateway process serves HTTPS and requires hospital-node
// certificates from the central CA (openssl-made at test time), checked against its CRL.
import assert from 'node:assert/strict';
import https from 'node:https';
import { startGateway, type GatewayProcess } from '../../support/gateway-process';
import { createPki, type Credentials, type Pki } from '../support/pki';

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

/** One request on a fresh connection, presenting `client` (or no certificate). */
function get(url: string, pki: Pki, client: Credentials | undefined): Promise<Answer> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca: pki.ca, agent: false, ...(client ? { cert: client.cert, key: client.key } : {}), headers: { accept: 'application/fhir+json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

const today = () => new Date().toISOString().slice(0, 10);

describe('security: mutual TLS with a CRL (gateway process)', function () {
  this.timeout(60_000);
  let pki: Pki;
  let gw: GatewayProcess;
  const search = () => `${gw.baseUrl}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://ncez.mzcr.cz/fhir/sid/rid|7608139877')}&status=current`;

  before(async () => {
    pki = await createPki({ nodes: ['node-1', 'node-2', 'node-3'], revoked: ['node-3'] });
    gw = await startGateway(
      { AUTH: 'on', TLS_CERT: pki.serverCertFile, TLS_KEY: pki.serverKeyFile, TLS_CLIENT_CA: pki.caFile, TLS_CRL: pki.crlFile },
      { ca: pki.ca, cert: pki.good.cert, key: pki.good.key },
    );
  });
  after(async () => {
    await gw?.stop();
    await pki?.cleanup();
  });

  it('serves a hospital node whose certificate the central CA signed, and audits its access under the certificate subject', async () => {
    const r = await get(search(), pki, pki.good);
    assert.equal(r.status, 200, r.body ?? r.error);
    const trail = await get(`${gw.baseUrl}/fhir/AuditEvent?date=ge${today()}&subtype=ITI-67`, pki, pki.good);
    assert.equal(trail.status, 200, trail.body);
    assert.ok(trail.body!.includes(pki.good.commonName), 'the node is the user of its own search');
  });

  it('refuses an unknown CA, a revoked certificate and no certificate during the handshake, with no HTTP answer', async () => {
    for (const [name, client] of [['stranger', pki.stranger], ['revoked', pki.revoked], ['none', undefined]] as const) {
      const r = await get(search(), pki, client);
      assert.equal(r.status, undefined, `${name} got HTTP ${r.status}`);
      assert.ok(r.error, name);
    }
  });

  it('audits each refused certificate with the address and the reason', async () => {
    const trail = await get(`${gw.baseUrl}/fhir/AuditEvent?date=ge${today()}&type=110114&outcome=4`, pki, pki.good);
    assert.equal(trail.status, 200, trail.body);
    const events = (JSON.parse(trail.body!).entry ?? []).map((e: { resource: { outcomeDesc: string; agent: { network?: { address: string } }[] } }) => e.resource);
    const reasons = events.map((e: { outcomeDesc: string }) => e.outcomeDesc);
    for (const reason of ['certificate: UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'certificate: CERT_REVOKED', 'certificate: NO_CLIENT_CERTIFICATE']) {
      assert.ok(reasons.includes(reason), `${reason} in ${JSON.stringify(reasons)}`);
    }
    assert.ok(events.every((e: { agent: { network?: { address: string } }[] }) => e.agent.some((a) => a.network?.address === '127.0.0.1')));
  });

  it('refuses a node revoked while running once the CRL is re-read on SIGHUP', async () => {
    const node2 = pki.client('node-2');
    assert.equal((await get(search(), pki, node2)).status, 200);
    await pki.revoke('node-2');
    gw.child.kill('SIGHUP');
    const deadline = Date.now() + 5000;
    let r = await get(search(), pki, node2);
    while (r.status !== undefined && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      r = await get(search(), pki, node2);
    }
    assert.equal(r.status, undefined, 'node-2 is refused after the reload');
    assert.equal((await get(search(), pki, pki.good)).status, 200, 'node-1 is still served');
    assert.match(gw.output(), /TLS certificate, key and CRL reloaded/);
  });
});
