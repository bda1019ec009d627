// ITI-65 failures over HTTP: each is a 4xx OperationOutcome naming the XDS code and the
// element, and leaves the registry, the repository index and the blob store as they were.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { describeEachStoreOverHttp, storedCounts, type HttpGatewayContext } from '../../support/http-gateway';
import { FHIR_JSON, FHIR_XML, RID, RID_SYSTEM, XDS_CODE_SYSTEM, feedPatient, freshBundle, issuesOf, request, type Json, type Reply } from './support';

const META = 'XDSRegistryMetadataError';
const DR = 'Bundle.entry[1].resource';
const SS = 'Bundle.entry[0].resource';
const FOLDER = 'Bundle.entry[3].resource';
const SOURCE_ID = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId';

/** Deletes one element of the Comprehensive fixture, by a path like `entry[1].resource.content[0].attachment.url`. */
function without(bundle: Json, path: string): Json {
  const segments = path.split('.');
  let node: Json = bundle;
  for (const segment of segments.slice(0, -1)) {
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(segment)!;
    node = m[2] === undefined ? node[m[1]!] : node[m[1]!][Number(m[2])];
  }
  delete node[segments[segments.length - 1]!];
  return bundle;
}

// One required element of the Comprehensive option at a time; the mapping's own tests cover
// every element, these show that each kind reaches the client as code + path over HTTP.
const REQUIRED: Array<[element: string, code: string, expression: string]> = [
  ['entry[1].resource.masterIdentifier', META, `${DR}.masterIdentifier`],
  ['entry[1].resource.status', META, `${DR}.status`],
  ['entry[1].resource.type', META, `${DR}.type`],
  ['entry[1].resource.category', META, `${DR}.category`],
  ['entry[1].resource.subject', META, `${DR}.subject`],
  ['entry[1].resource.securityLabel', META, `${DR}.securityLabel`],
  ['entry[1].resource.content[0].attachment.contentType', META, `${DR}.content[0].attachment.contentType`],
  ['entry[1].resource.content[0].attachment.creation', META, `${DR}.content[0].attachment.creation`],
  ['entry[1].resource.content[0].format', META, `${DR}.content[0].format`],
  ['entry[1].resource.context', META, `${DR}.context`],
  ['entry[0].resource.identifier', META, `${SS}.identifier:uniqueId`],
  ['entry[0].resource.date', META, `${SS}.date`],
  ['entry[0].resource.subject', META, `${SS}.subject`],
  ['entry[3].resource.title', META, `${FOLDER}.title`],
  ['entry[2].resource.data', 'XDSMissingDocument', 'Bundle.entry[2].resource.data'],
  ['type', META, 'Bundle.type'],
  // MHD 4.2 ITI-65: the Bundle declares its option; the List's profile does not stand in for it.
  ['meta', META, 'Bundle.meta.profile'],
];

describeEachStoreOverHttp('fhir/http ITI-65 failures store nothing', (ctx: HttpGatewayContext) => {
  let before0: Record<string, number>;

  before(async () => {
    await feedPatient(ctx.fhir);
    before0 = await storedCounts(ctx);
  });
  afterEach(async () => {
    assert.deepEqual(await storedCounts(ctx), before0, 'nothing was stored');
  });

  function assertOutcome(reply: Reply, status: number, expected: Array<[string | undefined, string | undefined]>): void {
    assert.equal(reply.status, status, reply.text);
    assert.equal(reply.resource?.resourceType, 'OperationOutcome', reply.text);
    assert.deepEqual(issuesOf(reply.resource), expected);
    for (const issue of reply.resource!.issue) {
      assert.equal(issue.severity, 'error');
      assert.ok(issue.diagnostics, 'diagnostics explain the error');
    }
  }

  for (const [element, code, expression] of REQUIRED) {
    it(`without ${element}: 422, ${code} at ${expression}`, async () => {
      const reply = await request(ctx.fhir, { method: 'POST', json: without(freshBundle('comprehensive-bundle.json'), element) });
      assertOutcome(reply, 422, [[code, expression]]);
      assert.equal(reply.resource!.issue[0].details.coding[0].system, XDS_CODE_SYSTEM);
    });
  }

  it('without the sourceId extension, sent as XML: the same OperationOutcome, in XML', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    bundle.entry[0].resource.extension = bundle.entry[0].resource.extension.filter((e: Json) => e.url !== SOURCE_ID);
    const reply = await request(ctx.fhir, { method: 'POST', xml: bundle });
    assert.ok(reply.headers.get('content-type')!.startsWith(FHIR_XML));
    assertOutcome(reply, 422, [[META, `${SS}.extension:sourceId`]]);
  });

  it('a hash that does not match the bytes: 422 XDSRepositoryMetadataError at the DocumentReference, no blob left', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    bundle.entry[1].resource.content[0].attachment.hash = createHash('sha1').update('other bytes').digest('base64');
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assertOutcome(reply, 422, [['XDSRepositoryMetadataError', DR]]);
    assert.match(reply.resource!.issue[0].diagnostics, /hash/);
  });

  it('a size that does not match the bytes: 422 XDSRepositoryMetadataError', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    bundle.entry[1].resource.content[0].attachment.size = 10;
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assertOutcome(reply, 422, [['XDSRepositoryMetadataError', DR]]);
  });

  it('an attachment URL outside the Bundle is refused, not fetched', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    bundle.entry.splice(2, 1);
    bundle.entry[1].resource.content[0].attachment.url = 'http://127.0.0.1:1/internal/document';
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assertOutcome(reply, 422, [['XDSMissingDocument', `${DR}.content[0].attachment.url`]]);
    assert.match(reply.resource!.issue[0].diagnostics, /does not fetch/);
  });

  it('a patient the identity feed never sent: 422 XDSUnknownPatientId', async () => {
    const bundle = freshBundle('comprehensive-bundle.json');
    for (const i of [0, 1, 3]) bundle.entry[i].resource.subject.identifier.value = '9912310016';
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 422, reply.text);
    assert.ok(issuesOf(reply.resource).every(([code]) => code === 'XDSUnknownPatientId'), reply.text);
  });

  it('a SubmissionSet uniqueId already registered: 409 XDSDuplicateUniqueIdInRegistry', async () => {
    const first = freshBundle('comprehensive-bundle.json');
    const ok = await request(ctx.fhir, { method: 'POST', json: first });
    assert.equal(ok.status, 200, ok.text);
    const counts = await storedCounts(ctx);
    const again = freshBundle('comprehensive-bundle.json');
    again.entry[0].resource.identifier = first.entry[0].resource.identifier;
    const reply = await request(ctx.fhir, { method: 'POST', json: again });
    assert.equal(reply.status, 409, reply.text);
    assert.ok(issuesOf(reply.resource).some(([code]) => code === 'XDSDuplicateUniqueIdInRegistry'), reply.text);
    assert.deepEqual(await storedCounts(ctx), counts);
    before0 = counts; // the first submission is meant to stay
  });

  it('malformed JSON: 400', async () => {
    const reply = await request(ctx.fhir, { method: 'POST', body: '{"resourceType": "Bundle", "entry": [', headers: { 'Content-Type': FHIR_JSON } });
    assert.equal(reply.status, 400);
    assert.equal(reply.resource!.issue[0].code, 'structure');
  });

  it('malformed (truncated) XML: 400', async () => {
    const xml = '<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/><entry>';
    const reply = await request(ctx.fhir, { method: 'POST', body: xml, headers: { 'Content-Type': FHIR_XML } });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.resource!.resourceType, 'OperationOutcome');
  });

  it('XML with a DOCTYPE (XXE, entity expansion) is refused before parsing: 400, nothing read', async () => {
    for (const xml of [
      '<?xml version="1.0"?><!DOCTYPE Bundle [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Bundle xmlns="http://hl7.org/fhir"><type value="&xxe;"/></Bundle>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Bundle xmlns="http://hl7.org/fhir"><type value="&lol2;"/></Bundle>',
    ]) {
      const reply = await request(ctx.fhir, { method: 'POST', body: xml, headers: { 'Content-Type': FHIR_XML } });
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.resource!.issue[0].code, 'security');
      assert.doesNotMatch(reply.text, /root:|lollol/);
    }
  });

  it('a body that is neither FHIR JSON nor XML: 415', async () => {
    const reply = await request(ctx.fhir, { method: 'POST', body: 'hello', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(reply.status, 415);
    assert.equal(reply.resource!.resourceType, 'OperationOutcome');
  });

  it('a resource that is not a Bundle: 400', async () => {
    const reply = await request(ctx.fhir, { method: 'POST', json: { resourceType: 'Patient' } });
    assert.equal(reply.status, 400);
  });

  it('a body announced larger than 64 MiB: 413 before any of it is read', async () => {
    const url = new URL(ctx.fhir);
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: '/fhir', method: 'POST', headers: { 'Content-Type': FHIR_JSON, 'Content-Length': String(64 * 1024 * 1024 + 1) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('{"resourceType":"Bundle"'); // and then nothing more: the server must not wait for the rest
    });
    assert.equal(reply.status, 413);
    assert.equal(JSON.parse(reply.body).issue[0].code, 'too-long');
  });

  it('a streamed (chunked) body past the limit of a small interaction: 413', async () => {
    const url = new URL(`${ctx.fhir}/Patient?identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'PUT', headers: { 'Content-Type': FHIR_JSON } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 2 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
        if (sent < 2 * 1024 * 1024) req.once('drain', () => ((sent += chunk.length), pump()));
        else req.end();
      };
      pump();
    });
    assert.equal(status, 413);
  });
});
