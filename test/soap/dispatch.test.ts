import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { readAddressing } from '../../src/soap/addressing';
import { SoapDispatcher, type SoapHandler, type SoapHttpResponse } from '../../src/soap/dispatch';
import { parseEnvelope, type SoapEnvelope } from '../../src/soap/envelope';
import { parseFault, SoapFault, type SoapFaultCode } from '../../src/soap/fault';
import { readSoapMessage } from '../../src/soap/mtom';
import { newContentId, xopInclude } from '../../src/soap/mtom-writer';
import { NS, WSA_URI, clark } from '../../src/soap/namespaces';
import { childrenNamed, el, elementChildren } from '../../src/soap/xml-dom';
import { BOUNDARY, binaryPart, bytes, fixture, iti41Root, mtomContentType, multipart, readAll, rootPart, splitAt } from './helpers';

const XDSB = 'urn:ihe:iti:xds-b:2007';
const SOAP_XML = 'application/soap+xml; charset=UTF-8';

async function parseResponse(r: SoapHttpResponse): Promise<{ env: SoapEnvelope; fault: SoapFault | undefined; raw: Buffer; attachments: Map<string, Buffer> }> {
  const raw = await readAll(r.body);
  const msg = await readSoapMessage(splitAt(raw, []), r.contentType);
  try {
    const env = parseEnvelope(msg.document);
    const first = env.bodyElements[0];
    const fault = first && first.namespaceURI === NS.soap12 && first.localName === 'Fault' ? parseFault(first) : undefined;
    const attachments = new Map<string, Buffer>();
    for (const d of first ? descendants(first).filter((e) => e.localName === 'Document') : []) {
      const c = msg.binary(d);
      if (c.kind === 'attachment') attachments.set(c.contentId, await readAll(c.open()));
    }
    return { env, fault, raw, attachments };
  } finally {
    await msg.dispose();
  }
}

function descendants(e: import('@xmldom/xmldom').Element): import('@xmldom/xmldom').Element[] {
  return elementChildren(e).flatMap((c) => [c, ...descendants(c)]);
}

const echoQuery: SoapHandler = async (req) => ({
  action: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  body: [el('urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', 'query:AdhocQueryResponse', { status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success', echo: req.payload?.localName })],
});

function dispatcher(onError?: (err: unknown) => void): SoapDispatcher {
  return new SoapDispatcher({ ...(onError ? { onError } : {}) }).on('urn:ihe:iti:2007:RegistryStoredQuery', echoQuery);
}

async function expectFault(r: SoapHttpResponse, status: number, code: SoapFaultCode, subcode?: string): Promise<{ fault: SoapFault; env: SoapEnvelope }> {
  assert.equal(r.status, status);
  assert.match(r.contentType, /^application\/soap\+xml/);
  const { fault, env } = await parseResponse(r);
  assert.ok(fault, 'a fault');
  assert.equal(fault.code, code);
  if (subcode) assert.equal(fault.subcodes[0]?.local, subcode);
  return { fault, env };
}

describe('SOAP dispatcher', () => {
  it('routes by wsa:Action and answers with the reply envelope', async () => {
    const r = await dispatcher().handle(splitAt(Buffer.from(fixture('iti18-request.xml')), [50]), { 'content-type': SOAP_XML });
    assert.equal(r.status, 200);
    assert.equal(r.contentType, SOAP_XML);
    const { env, fault } = await parseResponse(r);
    assert.equal(fault, undefined);
    assert.equal(env.bodyElements[0]!.getAttribute('echo'), 'AdhocQueryRequest');
    const wsa = readAddressing(env);
    assert.equal(wsa.action, 'urn:ihe:iti:2007:RegistryStoredQueryResponse');
    assert.equal(wsa.relatesTo[0]?.messageId, 'urn:uuid:6f1d3a52-8c4e-4b0f-9a53-2d7e1c0b9a11');
    assert.ok(env.headerBlocks.some((h) => h.local === 'Ticket'), 'ReplyTo reference parameter echoed');
  });

  it('unknown action -> 400 wsa:ActionNotSupported', async () => {
    const xml = fixture('iti18-request.xml').replace('urn:ihe:iti:2007:RegistryStoredQuery<', 'urn:ihe:iti:2007:Unknown<');
    const { fault, env } = await expectFault(await dispatcher().handle(splitAt(Buffer.from(xml), []), SOAP_XML), 400, 'Sender', 'ActionNotSupported');
    assert.equal(readAddressing(env).action, WSA_URI.fault);
    assert.match(fault.message, /urn:ihe:iti:2007:Unknown/);
  });

  it('no WS-Addressing -> 400 wsa:MessageAddressingHeaderRequired', async () => {
    await expectFault(await dispatcher().handle(splitAt(Buffer.from(fixture('iti18-request-no-addressing.xml')), []), SOAP_XML), 400, 'Sender', 'MessageAddressingHeaderRequired');
  });

  it('mustUnderstand headers not understood -> 500 MustUnderstand, related to the request; fine once declared understood', async () => {
    const body = () => splitAt(Buffer.from(fixture('must-understand.xml')), []);
    const { env } = await expectFault(await dispatcher().handle(body(), SOAP_XML), 500, 'MustUnderstand');
    assert.equal(readAddressing(env).relatesTo[0]?.messageId, 'urn:uuid:0b7c1e2a-5d3f-4e8a-b1c9-7f6e5d4c3b2a');
    assert.equal(env.headerBlocks.filter((h) => h.local === 'NotUnderstood').length, 2);
    const lenient = new SoapDispatcher({ understoodHeaders: [clark(NS.wsse, 'Security')] }).understand(clark('urn:example:consent', 'Consent')).on('urn:ihe:iti:2007:RegistryStoredQuery', echoQuery);
    assert.equal((await lenient.handle(body(), SOAP_XML)).status, 200);
  });

  it('SOAP 1.1 -> 500 VersionMismatch; XXE, billion laughs, garbage -> 400 Sender; wrong media type -> 415', async () => {
    await expectFault(await dispatcher().handle(splitAt(Buffer.from(fixture('soap11-envelope.xml')), []), 'text/xml; charset=utf-8'), 500, 'VersionMismatch');
    for (const name of ['xxe-passwd.xml', 'billion-laughs.xml']) {
      const { fault } = await expectFault(await dispatcher().handle(splitAt(Buffer.from(fixture(name)), []), SOAP_XML), 400, 'Sender');
      assert.match(fault.message, /DTD_FORBIDDEN/);
    }
    await expectFault(await dispatcher().handle(splitAt(Buffer.from('<env:Envelope xmlns:env="'), []), SOAP_XML), 400, 'Sender');
    await expectFault(await dispatcher().handle(splitAt(Buffer.from('{}'), []), 'application/json'), 415, 'Sender');
  });

  it('a Content-Type action that contradicts wsa:Action -> 400 InvalidAddressingHeader/ActionMismatch', async () => {
    const { fault } = await expectFault(await dispatcher().handle(splitAt(Buffer.from(fixture('iti18-request.xml')), []), `${SOAP_XML}; action="urn:other"`), 400, 'Sender', 'InvalidAddressingHeader');
    assert.equal(fault.subcodes[1]?.local, 'ActionMismatch');
  });

  it('handler faults keep their code; unexpected errors become a bare Receiver fault and reach onError', async () => {
    const errors: unknown[] = [];
    const d = new SoapDispatcher({ onError: (e) => errors.push(e) })
      .on('urn:ihe:iti:2007:RegistryStoredQuery', async () => {
        throw SoapFault.sender('bad query', [{ ns: 'urn:example', local: 'BadQuery' }]);
      })
      .on('urn:ihe:iti:2007:Boom', async () => {
        throw new Error('database password is hunter2');
      });
    await expectFault(await d.handle(splitAt(Buffer.from(fixture('iti18-request.xml')), []), SOAP_XML), 400, 'Sender', 'BadQuery');
    const xml = fixture('iti18-request.xml').replace('urn:ihe:iti:2007:RegistryStoredQuery<', 'urn:ihe:iti:2007:Boom<');
    const r = await d.handle(splitAt(Buffer.from(xml), []), SOAP_XML);
    const raw = (await readAll(r.body)).toString();
    assert.equal(r.status, 500);
    assert.doesNotMatch(raw, /hunter2/);
    assert.match(raw, /env:Receiver/);
    assert.equal(errors.length, 1);
  });

  it('MTOM request: the handler streams each document; the reply is MTOM too, with attachments for a retrieve', async () => {
    const docs = [bytes(3000, 1), bytes(10, 2), bytes(50_000, 3)];
    const cids = ['a@x', 'b@x', 'c@x'];
    const received: Buffer[] = [];
    const d = new SoapDispatcher().on('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', async (req) => {
      for (const doc of childrenNamed(req.payload!, XDSB, 'Document')) received.push(await readAll(req.message.binary(doc).open()));
      const ids = received.map(() => newContentId());
      return {
        action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
        body: [el(XDSB, 'xdsb:Echo', {}, ...ids.map((id) => el(XDSB, 'xdsb:Document', {}, xopInclude(id))))],
        attachments: ids.map((contentId, i) => ({ contentId, contentType: 'application/pdf', content: received[i]! })),
      };
    });
    const body = multipart(BOUNDARY, [rootPart(iti41Root(cids)), ...docs.map((b, i) => binaryPart(cids[i]!, b))]);
    const r = await d.handle(splitAt(body, [100, 2000, 9000]), { 'content-type': mtomContentType() });
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^multipart\/related;/);
    received.forEach((b, i) => assert.ok(b.equals(docs[i]!)));
    const { attachments, env } = await parseResponse(r);
    assert.deepEqual([...attachments.values()].map((b) => b.length), docs.map((b) => b.length));
    assert.equal(readAddressing(env).relatesTo[0]?.messageId, 'urn:uuid:9a6c2f0e-3b1d-4c5e-8f7a-6b5c4d3e2f10');
  });

  it('MTOM request to a handler that does not stream: a truncated body, a repeated Content-ID or an unreferenced part is refused before the handler runs', async () => {
    let called = 0;
    const d = new SoapDispatcher().on('urn:ihe:iti:2007:RegistryStoredQuery', async (req) => {
      called += 1;
      return echoQuery(req);
    });
    const query = rootPart(fixture('iti18-request.xml'));
    const cases: [string, Buffer][] = [
      ['TRUNCATED', multipart(BOUNDARY, [query, binaryPart('a@x', bytes(5000, 1))], { omitClose: true })],
      ['DUPLICATE_CID', multipart(BOUNDARY, [query, binaryPart('root.message@example.org', bytes(10, 1))])],
      ['UNREFERENCED_PART', multipart(BOUNDARY, [query, binaryPart('a@x', bytes(10, 1))])],
    ];
    for (const [code, body] of cases) {
      const { fault } = await expectFault(await d.handle(splitAt(body, [300]), { 'content-type': mtomContentType() }), 400, 'Sender');
      assert.match(fault.reasons[0]!.text, new RegExp(code));
    }
    assert.equal(called, 0);
    const whole = await d.handle(splitAt(multipart(BOUNDARY, [query]), []), { 'content-type': mtomContentType() });
    assert.equal(whole.status, 200);
    assert.equal(called, 1);
  });

  it('over HTTP: an oversized attachment is refused with a fault, the rest of the body is drained, and the connection serves the next request', async () => {
    const d = new SoapDispatcher({ read: { limits: { maxAttachmentBytes: 1024 * 1024 } } }).on('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', async (req) => {
      for (const doc of childrenNamed(req.payload!, XDSB, 'Document')) await readAll(req.message.binary(doc).open());
      return { action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse', body: [] };
    });
    let drained = 0;
    const server = http.createServer((req, res) => {
      req.on('end', () => drained++);
      void d.handle(req, req.headers).then((r) => {
        res.writeHead(r.status, { 'content-type': r.contentType });
        r.body.pipe(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // A raw socket, so the client keeps sending whatever the server answers (Node's own http client
    // stops writing a request body once the response has arrived, which would hide what the server does).
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    try {
      const request = (body: Buffer) => Buffer.concat([Buffer.from(`POST /xds/repository HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${mtomContentType()}\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
      const cids = ['a@x', 'b@x', 'c@x'];
      const big = multipart(BOUNDARY, [rootPart(iti41Root(cids)), binaryPart('a@x', bytes(8 * 1024 * 1024, 4)), binaryPart('b@x', Buffer.from('b')), binaryPart('c@x', Buffer.from('c'))]);
      const small = multipart(BOUNDARY, [rootPart(iti41Root(cids)), ...cids.map((c) => binaryPart(c, Buffer.from(c)))]);
      let received = '';
      const bothAnswered = new Promise<void>((resolve, reject) => {
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
          if (/HTTP\/1\.1 400[\s\S]*HTTP\/1\.1 200/.test(received)) resolve();
        });
        socket.on('error', reject);
        socket.on('close', () => reject(new Error(`connection closed after: ${received.slice(0, 300)}`)));
      });
      socket.write(request(big));
      socket.write(request(small));
      await bothAnswered;
      assert.match(received, /PART_TOO_LARGE/);
      assert.equal(drained, 2, 'both request bodies were read to their end');
    } finally {
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers even when a handler\'s fault cannot be serialised', async () => {
    const errors: unknown[] = [];
    const d = new SoapDispatcher({ onError: (e) => errors.push(e) }).on('urn:ihe:iti:2007:RegistryStoredQuery', async () => {
      throw new SoapFault({ code: 'Sender', reason: 'bad', detail: [el('urn:x', 'not a name', {})] });
    });
    await expectFault(await d.handle(splitAt(Buffer.from(fixture('iti18-request.xml')), []), SOAP_XML), 500, 'Receiver');
    assert.equal(errors.length, 1);
  });

  it('rejects registering an action twice', () => {
    assert.throws(() => dispatcher().on('urn:ihe:iti:2007:RegistryStoredQuery', echoQuery));
    assert.deepEqual(dispatcher().actions, ['urn:ihe:iti:2007:RegistryStoredQuery']);
  });
});
