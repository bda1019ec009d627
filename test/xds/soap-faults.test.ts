// Malformed and hostile requests at both endpoints: each gets a SOAP 1.2 fault (or an HTTP
// refusal) quickly, and the gateway keeps serving.
import assert from 'node:assert/strict';
import { NS } from '../../src/soap';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { fillFixture, rawFixture, xml } from './support/fixtures';
import { newPatient, sendFixture, XDS_TRANSACTIONS } from './support/messages';
import { faultOf, registryResult, relatesToOf } from './support/responses';
import { postRaw, readReply, type SoapReply } from './support/soap-client';

const SOAP12 = 'application/soap+xml; charset=UTF-8';

describeEachStoreOverHttp('xds SOAP faults', (ctx) => {
  const post = async (endpoint: 'registry' | 'repository', body: string | Buffer, contentType = SOAP12): Promise<SoapReply> =>
    readReply(await postRaw(`${ctx.baseUrl}/xds/${endpoint}`, body, contentType));

  /** A Sender fault, within `ms`. */
  async function senderFault(send: () => Promise<SoapReply>, reason: RegExp, ms = 1000): Promise<SoapReply> {
    const started = Date.now();
    const reply = await send();
    assert.ok(Date.now() - started < ms, `answered in ${Date.now() - started} ms`);
    assert.equal(reply.status, 400);
    const fault = faultOf(reply);
    assert.equal(fault.code, 'Sender');
    assert.match(fault.message, reason);
    return reply;
  }

  it('a body that is not XML', async () => {
    await senderFault(() => post('registry', rawFixture('not-xml.txt')), /XML refused \(MALFORMED\)/);
  });

  it('a media type that is not SOAP: HTTP 415 with a fault', async () => {
    const reply = await post('registry', rawFixture('not-xml.txt'), 'text/plain; charset=UTF-8');
    assert.equal(reply.status, 415);
    assert.equal(faultOf(reply).code, 'Sender');
  });

  it('a SOAP 1.1 envelope: VersionMismatch with an env:Upgrade header', async () => {
    const reply = await post('registry', rawFixture('envelope-soap11.xml'));
    assert.equal(reply.status, 500);
    assert.equal(faultOf(reply).code, 'VersionMismatch');
    assert.ok(reply.envelope.headerBlocks.some((h) => h.ns === NS.soap12 && h.local === 'Upgrade'));
  });

  it('no wsa:Action: wsa:MessageAddressingHeaderRequired', async () => {
    const reply = await senderFault(() => post('registry', rawFixture('envelope-no-action.xml')), /required header/);
    assert.ok(faultOf(reply).hasSubcode({ ns: NS.wsa, local: 'MessageAddressingHeaderRequired' }));
    assert.equal(relatesToOf(reply), 'urn:uuid:3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7');
  });

  it('an action the endpoint does not serve: wsa:ActionNotSupported naming it', async () => {
    const reply = await senderFault(() => post('registry', rawFixture('envelope-unknown-action.xml')), /CrossGatewayQuery/);
    assert.ok(faultOf(reply).hasSubcode({ ns: NS.wsa, local: 'ActionNotSupported' }));
    // ITI-43 belongs to the repository, not the registry.
    const misrouted = await sendFixture(ctx.baseUrl, 'registry', 'iti43-retrieve.xml', { HOME: 'x', REPOSITORY_1: '1', DOC_UID_1: '1', REPOSITORY_2: '1', DOC_UID_2: '1', REPOSITORY_3: '1', DOC_UID_3: '1' });
    assert.ok(faultOf(misrouted).hasSubcode({ ns: NS.wsa, local: 'ActionNotSupported' }));
  });

  it('a body element that does not fit the action', async () => {
    const envelope = fillFixture('iti62-delete-document-set.xml', { MESSAGE_ID: 'e1e2e3e4-0000-4000-8000-000000000001', TO: 'x', OBJECT_REFS: { xml: '<rim:ObjectRef id="urn:uuid:e1e2e3e4-0000-4000-8000-000000000002"/>' } })
      .replace(XDS_TRANSACTIONS.delete.request, XDS_TRANSACTIONS.storedQuery.request);
    await senderFault(() => post('registry', envelope), /AdhocQueryRequest/);
  });

  it('a header block marked mustUnderstand that nobody understands: MustUnderstand', async () => {
    const envelope = rawFixture('envelope-no-action.xml').replace('<env:Header>', `<env:Header><wsa:Action>${XDS_TRANSACTIONS.delete.request}</wsa:Action><cz:Souhlas xmlns:cz="urn:example:cz:souhlas" env:mustUnderstand="true">ano</cz:Souhlas>`);
    const reply = await post('registry', envelope);
    assert.equal(reply.status, 500);
    assert.equal(faultOf(reply).code, 'MustUnderstand');
  });

  it('an XXE attempt: refused before any entity is read', async () => {
    const reply = await senderFault(() => post('registry', rawFixture('attack-xxe.xml')), /DTD_FORBIDDEN/);
    assert.doesNotMatch(reply.payload.textContent ?? '', /root:/);
  });

  it('a billion-laughs attempt: refused at once, without expanding', async () => {
    await senderFault(() => post('registry', rawFixture('attack-billion-laughs.xml')), /DTD_FORBIDDEN/, 500);
    // Sent as the root of an MTOM message to the repository, the same.
    const boundary = 'hranice-0123456789';
    const body = `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <koren@test.cz>\r\n\r\n${rawFixture('attack-billion-laughs.xml')}\r\n--${boundary}--\r\n`;
    await senderFault(() => post('repository', body, `multipart/related; type="application/xop+xml"; start="<koren@test.cz>"; start-info="application/soap+xml"; boundary=${boundary}`), /DTD_FORBIDDEN/, 500);
  });

  it('elements nested too deep: refused quickly', async () => {
    const depth = 50_000;
    const envelope = rawFixture('envelope-no-action.xml').replace('<lcm:RemoveObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"/>', `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
    await senderFault(() => post('registry', envelope), /TOO_DEEP/);
  });

  // XML 1.0 has no U+0000 (nor lone surrogates), raw or as a character reference, so metadata
  // cannot carry text PostgreSQL refuses: such a message is not well-formed, a Sender fault.
  for (const [fixture, transaction] of [['iti42-register.xml', 'ITI-42'], ['iti57-update-document-entry.xml', 'ITI-57']] as const) {
    for (const text of ['&#0;', '&#x0;', '\u0000', '&#xD800;']) {
      it(`${transaction} with ${JSON.stringify(text)} in its metadata: a Sender fault, not a 500`, async () => {
        const uid = xml(`1.2.203.1${text}`);
        const values = { PATIENT: await newPatient(ctx.gw), SS_UID: uid, DOC_UID: uid, HASH: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', SIZE: 0, REPOSITORY_ID: '1.2.203.2', LOGICAL_ID: 'urn:uuid:e1e2e3e4-0000-4000-8000-000000000009' };
        await senderFault(() => sendFixture(ctx.baseUrl, 'registry', fixture, values), /MALFORMED.*(not allowed in XML|not an XML character)/);
      });
    }
  }

  it('a registry request over the registry size limit is refused, and the endpoint still answers', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024, 0x20);
    const reply = await post('registry', Buffer.concat([Buffer.from('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">'), big]));
    assert.equal(reply.status, 400);
    assert.match(faultOf(reply).message, /PART_TOO_LARGE|larger than/);
    const after = await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: { xml: '<rim:ObjectRef id="urn:uuid:e1e2e3e4-0000-4000-8000-000000000003"/>' } });
    assert.equal(registryResult(after).status, 'Failure');
  });

  it('after all of the above the endpoints still answer well-formed requests', async () => {
    const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti18-find-documents.xml', { PATIENT: await newPatient(ctx.gw), RETURN_TYPE: 'ObjectRef' });
    assert.equal(registryResult(reply, XDS_TRANSACTIONS.storedQuery.response).status, 'Success');
  });
});
