// The service descriptions (XDS.b and the XCA gateways): each endpoint's WSDL at ?wsdl with its own address, every schema it
// imports reachable at ?xsd=<name>, and the operations' actions exactly those the endpoint serves.
import assert from 'node:assert/strict';
import type { Document, Element } from '@xmldom/xmldom';
import { parseXml } from '../../src/soap';
import { XDS_TRANSACTIONS } from '../../src/xds/actions';
import { SecurityLayer } from '../../src/security/security-layer';
import { SoapAuthentication } from '../../src/security/soap-authentication';
import { createInitiatingGatewayEndpoint } from '../../src/xca/initiating-gateway/endpoint';
import { createRespondingGatewayEndpoint } from '../../src/xca/responding-gateway/endpoint';
import { XCA_PATHS } from '../../src/xca/routes';
import { createXdsEndpoints } from '../../src/xds/endpoints';
import { XDS_PATHS } from '../../src/xds/routes';
import { describeEachStoreOverHttp } from '../support/http-gateway';

const WSAW = 'http://www.w3.org/2006/05/addressing/wsdl';
const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const SOAP12_BINDING = 'http://schemas.xmlsoap.org/wsdl/soap12/';
const XSD = 'http://www.w3.org/2001/XMLSchema';

const RESPONSE_OF = new Map<string, string>(Object.values(XDS_TRANSACTIONS).map((t) => [t.request, t.response]));

function elements(doc: Document, ns: string, local: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);
}

describeEachStoreOverHttp('xds WSDL and schemas', (ctx) => {
  async function get(path: string): Promise<{ status: number; type: string; text: string }> {
    const res = await fetch(`${ctx.baseUrl}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  const security = () => ({ authenticator: new SoapAuthentication(new SecurityLayer(ctx.gw.config, { recordRefusal: (failure) => ctx.gw.audit.trail.refusedAuthentication(failure) })), policy: { emergencyAccess: false } });
  /** Each SOAP endpoint with the actions it dispatches. */
  const ENDPOINTS: Array<[string, () => string[]]> = [
    [XDS_PATHS.registry, () => createXdsEndpoints(ctx.gw, security()).registry.actions],
    [XDS_PATHS.repository, () => createXdsEndpoints(ctx.gw, security()).repository.actions],
    [XCA_PATHS.respondingGateway, () => createRespondingGatewayEndpoint(ctx.gw, security()).actions],
    [XCA_PATHS.initiatingGateway, () => createInitiatingGatewayEndpoint(ctx.gw, ctx.gw.communities, security()).actions],
  ];

  for (const [endpoint, servedActions] of ENDPOINTS) {
    it(`${endpoint}?wsdl describes the endpoint: SOAP 1.2 document/literal, its address, its actions, reachable schemas`, async () => {
      const res = await get(`${endpoint}?wsdl`);
      assert.equal(res.status, 200);
      assert.match(res.type, /^text\/xml/);
      const doc = parseXml(res.text);
      assert.equal(doc.documentElement!.namespaceURI, WSDL);
      const address = elements(doc, SOAP12_BINDING, 'address')[0]!;
      assert.equal(address.getAttribute('location'), `${ctx.baseUrl}${endpoint}`);
      assert.equal(elements(doc, SOAP12_BINDING, 'binding')[0]!.getAttribute('style'), 'document');
      assert.ok(elements(doc, SOAP12_BINDING, 'body').every((b) => b.getAttribute('use') === 'literal'));
      const actions = (local: string) => elements(doc, WSDL, local).map((e) => e.getAttributeNS(WSAW, 'Action')).filter((a): a is string => !!a).sort();
      // Exactly the actions the endpoint dispatches, so the WSDL cannot drift from the code.
      const served = servedActions();
      assert.deepEqual(actions('input'), [...served].sort());
      assert.deepEqual(actions('output'), served.map((a) => RESPONSE_OF.get(a)!).sort());

      // Every schema, and every schema they import, answers at its relative ?xsd= URL.
      const seen = new Set<string>();
      const pending = elements(doc, XSD, 'import').map((i) => i.getAttribute('schemaLocation')!);
      while (pending.length > 0) {
        const location = pending.pop()!;
        if (seen.has(location)) continue;
        seen.add(location);
        assert.match(location, /^\?xsd=[a-z]+$/);
        const schema = await get(`${endpoint}${location}`);
        assert.equal(schema.status, 200, location);
        const xsd = parseXml(schema.text);
        assert.equal(xsd.documentElement!.localName, 'schema');
        // Self-contained: every import (the xml namespace's too) names a location at the gateway.
        const imports = elements(xsd, XSD, 'import');
        assert.ok(imports.every((i) => i.getAttribute('schemaLocation')), `${location} imports a schema without a schemaLocation`);
        pending.push(...imports.map((i) => i.getAttribute('schemaLocation')!));
      }
      assert.ok(seen.size >= 3, `schemas: ${[...seen].join(', ')}`);
    });
  }

  it('?WSDL in capitals works too; an unknown schema is 404; a bare GET is 405', async () => {
    assert.equal((await get('/xds/repository?WSDL')).status, 200);
    assert.equal((await get('/xds/registry?xsd=nic')).status, 404);
    const bare = await fetch(`${ctx.baseUrl}/xds/registry`);
    assert.equal(bare.status, 405);
    assert.match(bare.headers.get('allow') ?? '', /POST/);
  });
});
