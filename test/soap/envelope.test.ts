import assert from 'node:assert/strict';
import { readAddressing, requireRequestAddressing, requestAddressingHeaders } from '../../src/soap/addressing';
import { actionNotSupported, addressingHeaderRequired, endpointUnavailable, invalidAddressingHeader, wsaHeader } from '../../src/soap/addressing-faults';
import { buildEnvelope, checkMustUnderstand, parseEnvelope, targetedHeaders } from '../../src/soap/envelope';
import { parseFault, SoapFault } from '../../src/soap/fault';
import { NS, SOAP_ROLE, WSA_URI, clark } from '../../src/soap/namespaces';
import { buildFaultEnvelope, buildReplyEnvelope } from '../../src/soap/responses';
import { parseXml } from '../../src/soap/safe-xml';
import { childNamed, el, elementChildren, serializeXml, simpleText } from '../../src/soap/xml-dom';
import { fixture } from './helpers';

const envelopeOf = (name: string) => parseEnvelope(parseXml(fixture(name)));

function catchFault(fn: () => unknown): SoapFault {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SoapFault, `expected a SoapFault, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a SoapFault');
}

/** Serialises, re-parses with the safe parser, and checks the SOAP 1.2 fault structure (Part 1, 5.4). */
function roundTrip(fault: SoapFault, request?: Parameters<typeof buildFaultEnvelope>[1]) {
  const xml = buildFaultEnvelope(fault, request);
  const env = parseEnvelope(parseXml(xml, { allowProcessingInstructions: false }));
  assert.equal(env.bodyElements.length, 1);
  const faultEl = env.bodyElements[0]!;
  assert.equal(faultEl.namespaceURI, NS.soap12);
  assert.equal(faultEl.localName, 'Fault');
  const order = elementChildren(faultEl).map((e) => e.localName);
  const expected = ['Code', 'Reason', 'Node', 'Role', 'Detail'].filter((n) => order.includes(n));
  assert.deepEqual(order, expected, 'children of env:Fault in schema order');
  for (const text of elementChildren(childNamed(faultEl, NS.soap12, 'Reason')!)) assert.ok(text.getAttributeNS(NS.xml, 'lang'), 'env:Text has xml:lang');
  return { xml, env, parsed: parseFault(faultEl), addressing: readAddressing(env) };
}

describe('SOAP 1.2 envelope', () => {
  it('parses Envelope/Header/Body and the WS-Addressing headers', () => {
    const env = envelopeOf('iti18-request.xml');
    assert.equal(env.bodyElements[0]!.localName, 'AdhocQueryRequest');
    assert.deepEqual(env.headerBlocks.map((h) => h.local), ['Action', 'MessageID', 'ReplyTo', 'To']);
    const wsa = readAddressing(env);
    assert.equal(wsa.action, 'urn:ihe:iti:2007:RegistryStoredQuery');
    assert.equal(wsa.messageId, 'urn:uuid:6f1d3a52-8c4e-4b0f-9a53-2d7e1c0b9a11');
    assert.equal(wsa.to, 'http://localhost:8080/xds/registry');
    assert.equal(wsa.replyTo?.address, WSA_URI.anonymous);
    assert.equal(wsa.replyTo?.referenceParameters[0]?.localName, 'Ticket');
    assert.deepEqual(requireRequestAddressing(wsa).action, 'urn:ihe:iti:2007:RegistryStoredQuery');
  });

  it('without WS-Addressing: the envelope is fine, the request is not (MessageAddressingHeaderRequired for wsa:Action)', () => {
    const env = envelopeOf('iti18-request-no-addressing.xml');
    assert.equal(env.header, undefined);
    const wsa = readAddressing(env);
    assert.deepEqual(wsa, { relatesTo: [] });
    const fault = catchFault(() => requireRequestAddressing(wsa));
    assert.equal(fault.code, 'Sender');
    assert.ok(fault.hasSubcode({ ns: NS.wsa, local: 'MessageAddressingHeaderRequired' }));
    assert.equal(fault.action, WSA_URI.fault);
    const { parsed, xml } = roundTrip(fault);
    const problem = parsed.detail[0] as unknown as import('@xmldom/xmldom').Element;
    assert.equal(problem.localName, 'ProblemHeaderQName');
    assert.equal(problem.lookupNamespaceURI('wsa'), NS.wsa);
    assert.equal(simpleText(problem), 'wsa:Action');
    assert.match(xml, /<wsa:Action[^>]*>http:\/\/www\.w3\.org\/2005\/08\/addressing\/fault<\/wsa:Action>/);
  });

  it('requires wsa:MessageID (a reply is expected) unless configured otherwise', () => {
    const env = parseEnvelope(parseXml(serializeXml(buildEnvelope({ headers: [el(NS.wsa, 'wsa:Action', {}, 'urn:x')], body: [] }))));
    const fault = catchFault(() => requireRequestAddressing(readAddressing(env)));
    assert.ok(fault.hasSubcode({ ns: NS.wsa, local: 'MessageAddressingHeaderRequired' }));
    assert.equal(requireRequestAddressing(readAddressing(env), { requireMessageId: false }).action, 'urn:x');
  });

  it('refuses duplicate single-valued headers, an EPR without address, and non-anonymous replies', () => {
    const headers = (h: ReturnType<typeof el>[]) => readAddressing(parseEnvelope(parseXml(serializeXml(buildEnvelope({ headers: h, body: [] })))));
    const action = el(NS.wsa, 'wsa:Action', {}, 'urn:x');
    const id = el(NS.wsa, 'wsa:MessageID', {}, 'urn:uuid:1');
    let fault = catchFault(() => headers([action, id, el(NS.wsa, 'wsa:MessageID', {}, 'urn:uuid:2')]));
    assert.ok(fault.hasSubcode({ ns: NS.wsa, local: 'InvalidCardinality' }));
    assert.deepEqual(fault.subcodes.map((s) => s.local), ['InvalidAddressingHeader', 'InvalidCardinality']);
    fault = catchFault(() => headers([action, id, el(NS.wsa, 'wsa:ReplyTo', {}, el(NS.wsa, 'wsa:ReferenceParameters', {}))]));
    assert.ok(fault.hasSubcode({ ns: NS.wsa, local: 'MissingAddressInEPR' }));
    const async = headers([action, id, el(NS.wsa, 'wsa:ReplyTo', {}, el(NS.wsa, 'wsa:Address', {}, 'http://client.example/callback'))]);
    fault = catchFault(() => requireRequestAddressing(async));
    assert.ok(fault.hasSubcode({ ns: NS.wsa, local: 'OnlyAnonymousAddressSupported' }));
    assert.equal(requireRequestAddressing(async, { anonymousOnly: false }).replyTo?.address, 'http://client.example/callback');
  });

  it('answers a SOAP 1.1 envelope (or anything else) with env:VersionMismatch and an env:Upgrade header', () => {
    const fault = catchFault(() => envelopeOf('soap11-envelope.xml'));
    assert.equal(fault.code, 'VersionMismatch');
    assert.equal(fault.httpStatus, 500);
    const { env } = roundTrip(fault);
    const upgrade = env.headerBlocks.find((h) => h.local === 'Upgrade')!;
    const supported = childNamed(upgrade.element, NS.soap12, 'SupportedEnvelope')!;
    const [prefix, local] = supported.getAttribute('qname')!.split(':');
    assert.equal(local, 'Envelope');
    assert.equal(supported.lookupNamespaceURI(prefix!), NS.soap12);
    assert.equal(catchFault(() => parseEnvelope(parseXml('<x:Envelope xmlns:x="urn:other"/>'))).code, 'VersionMismatch');
  });

  it('refuses a malformed envelope structure with a Sender fault', () => {
    const env = (inner: string) => `<e:Envelope xmlns:e="${NS.soap12}">${inner}</e:Envelope>`;
    for (const bad of [env(''), env('<e:Header/>'), env('<e:Body/><e:Header/>'), env('<e:Body/><e:Body/>'), env('<e:Header><unqualified/></e:Header><e:Body/>'), env('<e:Header><h:x xmlns:h="urn:h" e:mustUnderstand="yes"/></e:Header><e:Body/>')]) {
      assert.equal(catchFault(() => parseEnvelope(parseXml(bad))).code, 'Sender', bad);
    }
  });

  describe('mustUnderstand', () => {
    const wsaUnderstood = new Set(['Action', 'MessageID', 'To', 'ReplyTo'].map((l) => clark(NS.wsa, l)));

    it('faults on every targeted mustUnderstand header not understood, naming each with env:NotUnderstood', () => {
      const env = envelopeOf('must-understand.xml');
      const fault = catchFault(() => checkMustUnderstand(env, wsaUnderstood));
      assert.equal(fault.code, 'MustUnderstand');
      const { env: faultEnv } = roundTrip(fault, readAddressing(env));
      const notUnderstood = faultEnv.headerBlocks.filter((h) => h.local === 'NotUnderstood').map((h) => {
        const [prefix, local] = h.element.getAttribute('qname')!.split(':');
        return clark(h.element.lookupNamespaceURI(prefix!), local!);
      });
      assert.deepEqual(notUnderstood, [clark(NS.wsse, 'Security'), clark('urn:example:consent', 'Consent')]);
    });

    it('passes once the security layer declares WS-Security understood, except for the unknown extension', () => {
      const env = envelopeOf('must-understand.xml');
      const withSecurity = new Set([...wsaUnderstood, clark(NS.wsse, 'Security')]);
      const fault = catchFault(() => checkMustUnderstand(env, withSecurity));
      assert.equal(fault.headers.length, 1);
      checkMustUnderstand(env, new Set([...withSecurity, clark('urn:example:consent', 'Consent')]));
    });

    it('ignores blocks for role "none" and optional blocks; honours extra roles', () => {
      const env = envelopeOf('must-understand.xml');
      const targeted = targetedHeaders(env).map((h) => h.local);
      assert.ok(!targeted.includes('Ignored'));
      assert.ok(targeted.includes('Optional'));
      assert.equal(env.headerBlocks.find((h) => h.local === 'Ignored')!.role, SOAP_ROLE.none);
    });
  });

  describe('faults', () => {
    it('serialise to SOAP 1.2 and parse back: code, subcode chain, reasons with xml:lang, node, role, detail', () => {
      const fault = new SoapFault({
        code: 'Receiver',
        subcodes: [{ ns: 'urn:example:codes', local: 'Outer', prefix: 'env' }, { ns: 'urn:example:more', local: 'Inner' }],
        reason: [{ text: 'Registry nedostupný', lang: 'cs' }, { text: 'Registry unavailable', lang: 'en' }],
        node: 'http://gateway.example/xds',
        role: SOAP_ROLE.ultimateReceiver,
        detail: [el('urn:example:detail', 'd:Info', { code: '42' }, 'more')],
      });
      const { parsed } = roundTrip(fault);
      assert.equal(parsed.code, 'Receiver');
      assert.deepEqual(parsed.subcodes.map((s) => [s.ns, s.local]), [['urn:example:codes', 'Outer'], ['urn:example:more', 'Inner']]);
      assert.deepEqual(parsed.reasons, [{ text: 'Registry nedostupný', lang: 'cs' }, { text: 'Registry unavailable', lang: 'en' }]);
      assert.equal(parsed.node, 'http://gateway.example/xds');
      assert.equal(parsed.role, SOAP_ROLE.ultimateReceiver);
      const info = parsed.detail[0] as unknown as import('@xmldom/xmldom').Element;
      assert.equal(info.getAttribute('code'), '42');
      assert.equal(fault.httpStatus, 500);
    });

    it('cannot be broken by hostile reason or detail text (escaped; invalid characters replaced)', () => {
      const evil = '</env:Text></env:Reason><env:Detail>&injected;</env:Detail>\u0000\u0007]]>"\'';
      const fault = new SoapFault({ code: 'Sender', reason: evil, detail: [el('urn:x', 'x:D', { a: evil }, evil)] });
      const { parsed, xml } = roundTrip(fault);
      assert.equal(parsed.reasons[0]!.text, evil.replace(/[\u0000\u0007]/g, '\ufffd'));
      assert.equal((parsed.detail[0] as unknown as import('@xmldom/xmldom').Element).getAttribute('a'), evil.replace(/[\u0000\u0007]/g, '\ufffd'));
      assert.doesNotMatch(xml, /<env:Detail>&injected;/);
    });

    it('WS-Addressing faults carry their subcode, detail and action', () => {
      const cases: [SoapFault, string, string][] = [
        [invalidAddressingHeader(wsaHeader('ReplyTo'), 'OnlyAnonymousAddressSupported'), 'InvalidAddressingHeader', 'ProblemHeaderQName'],
        [addressingHeaderRequired(wsaHeader('MessageID')), 'MessageAddressingHeaderRequired', 'ProblemHeaderQName'],
        [actionNotSupported('urn:unknown'), 'ActionNotSupported', 'ProblemAction'],
        [endpointUnavailable(30_000), 'EndpointUnavailable', 'RetryAfter'],
      ];
      for (const [fault, subcode, detail] of cases) {
        const { parsed, addressing } = roundTrip(fault, { messageId: 'urn:uuid:req', relatesTo: [] });
        assert.equal(parsed.subcodes[0]!.local, subcode);
        assert.equal(parsed.subcodes[0]!.ns, NS.wsa);
        assert.equal((parsed.detail[0] as unknown as import('@xmldom/xmldom').Element).localName, detail);
        assert.equal(addressing.action, WSA_URI.fault);
        assert.deepEqual(addressing.relatesTo, [{ messageId: 'urn:uuid:req', relationshipType: WSA_URI.reply }]);
      }
      assert.equal(endpointUnavailable().code, 'Receiver');
    });
  });

  describe('replies and requests', () => {
    it('a reply carries wsa:Action, a new wsa:MessageID, wsa:RelatesTo the request, and echoes ReplyTo reference parameters', () => {
      const request = readAddressing(envelopeOf('iti18-request.xml'));
      const reply = buildReplyEnvelope({ action: 'urn:ihe:iti:2007:RegistryStoredQueryResponse', body: [el('urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', 'query:AdhocQueryResponse', { status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success' })] }, request);
      const env = parseEnvelope(parseXml(reply));
      const wsa = readAddressing(env);
      assert.equal(wsa.action, 'urn:ihe:iti:2007:RegistryStoredQueryResponse');
      assert.match(wsa.messageId!, /^urn:uuid:[0-9a-f-]{36}$/);
      assert.notEqual(wsa.messageId, request.messageId);
      assert.deepEqual(wsa.relatesTo, [{ messageId: request.messageId, relationshipType: WSA_URI.reply }]);
      const ticket = env.headerBlocks.find((h) => h.local === 'Ticket')!;
      assert.equal(ticket.ns, 'urn:example:ticket');
      assert.equal(ticket.element.getAttributeNS(NS.wsa, 'IsReferenceParameter'), 'true');
      assert.equal(simpleText(ticket.element), 'CZ-4711');
      assert.ok(env.headerBlocks.find((h) => h.local === 'Action')!.mustUnderstand);
      assert.equal(env.bodyElements[0]!.localName, 'AdhocQueryResponse');
    });

    it('request headers for calling other services (XCA, bridges) read back as a valid request', () => {
      const { messageId, headers } = requestAddressingHeaders({ action: 'urn:ihe:iti:2007:CrossGatewayQuery', to: 'https://community.example/xca' });
      const env = parseEnvelope(parseXml(serializeXml(buildEnvelope({ headers, body: [] }))));
      const wsa = requireRequestAddressing(readAddressing(env));
      assert.equal(wsa.messageId, messageId);
      assert.equal(wsa.to, 'https://community.example/xca');
      assert.equal(wsa.replyTo?.address, WSA_URI.anonymous);
    });

    it('builds no injectable markup from values', () => {
      const reply = buildReplyEnvelope({ action: 'urn:a"><x/>', body: [el(null, 'plain', { attr: '"/><evil/>' }, '<evil/>&amp;')] }, { relatesTo: [], messageId: '</wsa:MessageID><evil/>' });
      const env = parseEnvelope(parseXml(reply));
      assert.equal(readAddressing(env).action, 'urn:a"><x/>');
      assert.equal(readAddressing(env).relatesTo[0]!.messageId, '</wsa:MessageID><evil/>');
      assert.equal(env.bodyElements[0]!.getAttribute('attr'), '"/><evil/>');
      assert.equal(simpleText(env.bodyElements[0]!), '<evil/>&amp;');
      assert.throws(() => serializeXml(buildEnvelope({ body: [el(null, 'bad name"/><x', {})] })));
      assert.throws(() => buildReplyEnvelope({ action: 'urn:a', body: [el(null, 'bad name"/><x', {})] }, { relatesTo: [] }));
    });
  });
});
