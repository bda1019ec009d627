// The outbound MHD client against a real gateway process serving HTTPS with mutual TLS (a PKI
// the test makes with openssl), and against a TLS server that accepts and never answers.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Community } from '../../src/communities/community';
import { parseDirectory } from '../../src/communities/parse-directory';
import { MhdClient } from '../../src/remote-mhd/mhd-client';
import { loadConfig } from '../../src/config';
import { CommunityCallError } from '../../src/communities/ports';
import { startGateway, type GatewayProcess } from '../support/gateway-process';
import { newRid, publishDocument, RID_SYSTEM, type Published } from '../support/mhd-publish';
import { createPki, type Pki } from '../security/support/pki';
import { readAll } from '../blobs/helpers';

const HCID = 'urn:oid:1.2.203.99.7';

function community(baseUrl: string, tlsFiles: Record<string, string>, timeoutMs = 10_000): Community {
  return parseDirectory(JSON.stringify({ [HCID]: { name: 'Nemocnice Test', mhd: { baseUrl }, tls: tlsFiles, timeoutMs } })).get(HCID)!;
}

/** A CommunityCallError: transient (a retry may succeed) or final, its message matching. */
function failure(transient: boolean, message: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof CommunityCallError, String(err));
    assert.equal(err.transient, transient, err.message);
    assert.match(err.message, message);
    return true;
  };
}
const budget = () => AbortSignal.timeout(10_000);

describe('MhdClient (outbound ITI-67/66/68, mutual TLS)', function () {
  this.timeout(120_000);
  let pki: Pki;
  let gw: GatewayProcess;
  let remote: Community;
  const client = new MhdClient();
  const docs: Published[] = [];
  let rid: string;
  let repositoryUniqueId: string;

  before(async () => {
    pki = await createPki({ nodes: ['node-1'], revoked: [] });
    const node = pki.client('node-1');
    gw = await startGateway({ AUTH: 'on', TLS_CERT: pki.serverCertFile, TLS_KEY: pki.serverKeyFile, TLS_CLIENT_CA: pki.caFile }, { ca: pki.ca, cert: node.cert, key: node.key });
    rid = newRid();
    const clientTls = { ca: pki.ca, cert: node.cert, key: node.key };
    for (let i = 0; i < 3; i++) docs.push(await publishDocument(`${gw.baseUrl}/fhir`, rid, crypto.randomBytes(2000 + i), clientTls, 'application/octet-stream'));
    remote = community(`${gw.baseUrl}/fhir`, { certFile: node.certFile, keyFile: node.keyFile, caFile: pki.caFile });
    repositoryUniqueId = loadConfig({}).repositoryUniqueId;
  });
  after(async () => {
    await gw?.stop();
    await pki?.cleanup();
  });

  it('searches DocumentReferences (ITI-67) following next links, presenting the community client certificate', async () => {
    const bundle = await client.search(remote, 'DocumentReference', [['patient.identifier', `${RID_SYSTEM}|${rid}`], ['status', 'current'], ['_count', '2']], budget());
    assert.equal(bundle.total, 3);
    const ids = (bundle.entry ?? []).map((e) => (e.resource as unknown as { masterIdentifier: { value: string } }).masterIdentifier.value).sort();
    assert.deepEqual(ids, docs.map((d) => `urn:oid:${d.documentUniqueId}`).sort());
  });

  it('searches Lists (ITI-66)', async () => {
    const bundle = await client.search(remote, 'List', [['patient.identifier', `${RID_SYSTEM}|${rid}`], ['code', 'submissionset'], ['status', 'current']], budget());
    assert.equal(bundle.entry?.length, 3);
    assert.ok(bundle.entry!.every((e) => e.resource?.resourceType === 'List'));
  });

  it('reads a document (ITI-68) streamed, with its type, length and hash', async () => {
    const bundle = await client.search(remote, 'DocumentReference', [['patient.identifier', `${RID_SYSTEM}|${rid}`], ['status', 'current']], budget());
    const ref = bundle.entry!.map((e) => e.resource as unknown as { masterIdentifier: { value: string }; content: Array<{ attachment: { url: string } }> }).find((r) => r.masterIdentifier.value === `urn:oid:${docs[0]!.documentUniqueId}`)!;
    const binary = await client.readBinary(remote, ref.content[0]!.attachment.url, budget());
    assert.equal(binary.mimeType, 'application/octet-stream');
    assert.equal(binary.size, docs[0]!.content.length);
    assert.equal(binary.etag, crypto.createHash('sha1').update(docs[0]!.content).digest('hex'));
    assert.ok((await readAll(binary.body)).equals(docs[0]!.content));
  });

  it('bounds a document read by its start only: a deadline passing while the body streams does not cut it', async () => {
    const deadline = new AbortController();
    const url = `${gw.baseUrl}/fhir/Binary/${encodeURIComponent(docs[1]!.documentUniqueId)}?repositoryUniqueId=${encodeURIComponent(repositoryUniqueId)}`;
    const binary = await client.readBinary(remote, url, deadline.signal);
    deadline.abort(new Error('the call budget ran out'));
    assert.ok((await readAll(binary.body)).equals(docs[1]!.content));
  });

  it('answers an unknown document with the remote status, and refuses a URL off the community origin', async () => {
    await assert.rejects(client.readBinary(remote, `${gw.baseUrl}/fhir/Binary/2.25.1?repositoryUniqueId=2.25.2`, budget()), failure(false, /answered 404/));
    await assert.rejects(client.readBinary(remote, 'https://127.0.0.2:1/fhir/Binary/2.25.1', budget()), failure(false, /is not the MHD server/));
  });

  it('fails when the community refuses the handshake (no client certificate)', async () => {
    const withoutCert = community(`${gw.baseUrl}/fhir`, { caFile: pki.caFile });
    await assert.rejects(client.search(withoutCert, 'DocumentReference', [['patient.identifier', `${RID_SYSTEM}|${rid}`]], budget()), (err: unknown) => err instanceof CommunityCallError);
  });

  it('gives up, as a transient failure, when the server accepts and never answers within the call budget', async () => {
    const silent = tls.createServer({ cert: pki.server.cert, key: pki.server.key }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = community(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/fhir`, { caFile: pki.caFile }, 300);
      const started = Date.now();
      await assert.rejects(client.search(slow, 'DocumentReference', [['patient.identifier', `${RID_SYSTEM}|${rid}`]], AbortSignal.timeout(slow.timeoutMs)), failure(true, /no answer in time/));
      const took = Date.now() - started;
      assert.ok(took >= 290 && took < 5000, `gave up after ${took} ms`);
    } finally {
      silent.close();
    }
  });
});
