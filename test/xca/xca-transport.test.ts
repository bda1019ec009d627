// The outbound XCA client against a small HTTP server of the test's: what it sends (WS-Addressing,
// the caller's assertion, a client-credentials token) and how it classes what comes back.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Community } from '../../src/communities/community';
import { CommunityCallError } from '../../src/communities/ports';
import type { StoredQuery } from '../../src/domain/stored-queries';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { childNamed, el, NS, parseEnvelope, parseXml, renderEnvelope, SoapFault, faultElement } from '../../src/soap';
import { XcaTransport } from '../../src/xca/initiating-gateway/xca-transport';
import { XDS_NS } from '../../src/xds/namespaces';
import { adhocQueryResponse } from '../../src/xds/transactions/registry-stored-query';

const ASSERTION = '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0"><saml2:Issuer>idp</saml2:Issuer></saml2:Assertion>';
const QUERY: StoredQuery = { name: 'GetDocuments', queryId: StoredQueryId.GetDocuments, returnType: 'ObjectRef', metadataLevel: 1, documentIds: { by: 'uniqueId', values: ['1.2.3'] } };

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

describe('XCA transport (ITI-38 client)', () => {
  let server: http.Server;
  let base = '';
  let handler: Handler = () => undefined;
  let dir = '';
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'xca-transport-'));
    await writeFile(path.join(dir, 'secret'), 's3cret\n');
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/token') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 }));
          return;
        }
        handler(req, body, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const community = (auth: Community['auth'], timeoutMs = 1000): Community => ({
    homeCommunityId: 'urn:oid:1.2.203.99.7', name: 'x', xca: { queryUrl: `${base}/xca`, retrieveUrl: `${base}/xca` }, tlsOptions: {}, auth, timeoutMs,
  });
  const answer = (res: http.ServerResponse, body: string, status = 200) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/soap+xml; charset=utf-8');
    res.end(body);
  };
  const okReply = () => renderEnvelope({ headers: [el(NS.wsa, 'wsa:Action', {}, 'urn:ihe:iti:2007:CrossGatewayQueryResponse')], body: [adhocQueryResponse('Success', [], el(XDS_NS.rim, 'rim:RegistryObjectList', {}, el(XDS_NS.rim, 'rim:ObjectRef', { id: 'urn:uuid:1', home: 'urn:oid:1.2.203.99.7' })))] });

  it('sends ITI-38 with WS-Addressing and home, forwards the caller\'s assertion (saml-forward), and reads the answer', async () => {
    handler = (_req, _body, res) => answer(res, okReply());
    const result = await new XcaTransport().query(community({ type: 'saml-forward' }), QUERY, { samlAssertion: ASSERTION }, AbortSignal.timeout(2000));
    assert.deepEqual(result, { status: 'Success', objects: [], objectRefs: [{ id: 'urn:uuid:1', homeCommunityId: 'urn:oid:1.2.203.99.7' }], errors: [] });
    const env = parseEnvelope(parseXml(seen[0]!.body));
    const header = (ns: string, local: string) => childNamed(env.header!, ns, local);
    assert.equal(header(NS.wsa, 'Action')?.textContent, 'urn:ihe:iti:2007:CrossGatewayQuery');
    assert.equal(header(NS.wsa, 'To')?.textContent, `${base}/xca`);
    assert.match(header(NS.wsa, 'MessageID')?.textContent ?? '', /^urn:uuid:/);
    const assertion = childNamed(header(NS.wsse, 'Security')!, 'urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion');
    assert.equal(assertion?.getAttribute('ID'), '_a1');
    assert.equal(childNamed(childNamed(env.bodyElements[0]!, XDS_NS.rim, 'AdhocQuery')!, XDS_NS.rim, 'Slot')?.getAttribute('name'), '$XDSDocumentEntryUniqueId');
    assert.equal(childNamed(env.bodyElements[0]!, XDS_NS.rim, 'AdhocQuery')?.getAttribute('home'), 'urn:oid:1.2.203.99.7');
    assert.equal(seen[0]!.headers.authorization, undefined);
  });

  it('client-credentials: a bearer token from the token endpoint (Basic client auth), reused until it expires; no assertion forwarded', async () => {
    handler = (_req, _body, res) => answer(res, okReply());
    const transport = new XcaTransport();
    const c = community({ type: 'client-credentials', tokenUrl: `${base}/token`, clientId: 'gw-a', clientSecretFile: path.join(dir, 'secret'), scope: 'xca' });
    await transport.query(c, QUERY, { samlAssertion: ASSERTION }, AbortSignal.timeout(2000));
    await transport.query(c, QUERY, {}, AbortSignal.timeout(2000));
    assert.deepEqual(seen.map((s) => s.url), ['/token', '/xca', '/xca']);
    assert.equal(seen[0]!.headers.authorization, `Basic ${Buffer.from('gw-a:s3cret').toString('base64')}`);
    assert.equal(new URLSearchParams(seen[0]!.body).get('grant_type'), 'client_credentials');
    assert.equal(seen[1]!.headers.authorization, 'Bearer tok-1');
    assert.equal(seen[2]!.headers.authorization, 'Bearer tok-1');
    assert.ok(!seen[1]!.body.includes('Assertion'));
  });

  const failure = async (c: Community): Promise<CommunityCallError> => {
    try {
      await new XcaTransport().query(c, QUERY, {}, AbortSignal.timeout(c.timeoutMs));
    } catch (err) {
      assert.ok(err instanceof CommunityCallError, String(err));
      return err;
    }
    throw new Error('the call succeeded');
  };

  it('HTTP 503 and a timeout are transient; a SOAP fault is not', async () => {
    handler = (_req, _body, res) => answer(res, 'busy', 503);
    assert.equal((await failure(community({ type: 'none' }))).transient, true);
    handler = () => undefined; // never answers
    const slow = await failure(community({ type: 'none' }, 200));
    assert.equal(slow.transient, true);
    assert.match(slow.message, /no answer in time/);
    handler = (_req, _body, res) => answer(res, renderEnvelope({ body: [faultElement(SoapFault.sender('bad query'))] }), 400);
    const fault = await failure(community({ type: 'none' }));
    assert.equal(fault.transient, false);
    assert.match(fault.message, /SOAP fault Sender: bad query/);
  });

  it('a refused connection is transient', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = { ...community({ type: 'none' }), xca: { queryUrl: `http://127.0.0.1:${port}/xca`, retrieveUrl: `http://127.0.0.1:${port}/xca` } };
    const err = await failure(c);
    assert.equal(err.transient, true);
    assert.match(err.message, /ECONNREFUSED/);
  });
});
