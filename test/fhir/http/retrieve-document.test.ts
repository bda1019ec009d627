// ITI-68 over HTTP: the attachment URL a published DocumentReference carries serves the
// bytes (streamed, typed, sized, with the SHA-1 as ETag and conditional GET), a Binary
// resource when Accept or _format asks for FHIR, and 404/406 OperationOutcomes otherwise.
// Once with the document kept in its database row (the default for small documents), once
// with every document in a blob file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fsp, { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { FHIR_JSON, FHIR_XML, documentBytes, feedPatient, freshBundle, fromXml, issuesOf, request, type Json } from './support';

const STORAGE: Array<{ where: string; files: number; env: Record<string, string> }> = [
  { where: 'inline', files: 0, env: {} },
  { where: 'in a blob file', files: 1, env: { DOCUMENT_INLINE_MAX_BYTES: '0' } },
];

for (const storage of STORAGE) describeEachStoreOverHttp(`fhir/http ITI-68 Retrieve Document (${storage.where})`, (ctx) => {
  let bundle: Json;
  let url: string;
  let bytes: Buffer;
  let sha1: string;
  let documentFile: string | undefined;

  before(async () => {
    await feedPatient(ctx.fhir);
    bundle = freshBundle('comprehensive-bundle.json');
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 200, reply.text);
    // The URL as a Document Consumer finds it: on the DocumentReference.
    const dr = await request(`${ctx.fhir}/${reply.resource!.entry[1].response.location}`);
    url = dr.resource!.content[0].attachment.url;
    assert.equal(url, reply.resource!.entry[2].response.location, 'the Binary Location is the attachment URL');
    bytes = documentBytes(bundle);
    sha1 = createHash('sha1').update(bytes).digest('hex');
    const files = (await readdir(path.join(ctx.dataDir, 'blobs'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    assert.equal(files.length, storage.files, 'where the document is stored');
    documentFile = files[0] && path.join(files[0].parentPath ?? files[0].path, files[0].name);
  });

  it('GET returns the bytes with their mimeType, length and SHA-1 ETag', async () => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(res.headers.get('content-length'), String(bytes.length));
    assert.equal(res.headers.get('etag'), `"${sha1}"`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });

  it('If-None-Match with the ETag answers 304 without a body; another ETag gets the bytes', async () => {
    const res = await fetch(url, { headers: { 'If-None-Match': `"${sha1}"` } });
    assert.equal(res.status, 304);
    assert.equal(await res.text(), '');
    const stale = await fetch(url, { headers: { 'If-None-Match': '"0000"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.arrayBuffer()).byteLength, bytes.length);
  });

  it('HEAD answers the headers only', async () => {
    const res = await fetch(url, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(bytes.length));
    assert.equal(res.headers.get('etag'), `"${sha1}"`);
    assert.equal(await res.text(), '');
  });

  it('Accept: */* or the document type gets the bytes', async () => {
    for (const accept of ['*/*', 'text/plain', 'text/*;q=0.9, application/fhir+json;q=0.5']) {
      const res = await fetch(url, { headers: { Accept: accept } });
      assert.equal(res.headers.get('content-type'), 'text/plain', accept);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    }
  });

  it('Accept: application/fhir+json gets a Binary resource with the bytes in base64', async () => {
    const reply = await request(url, { headers: { Accept: FHIR_JSON } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), `${FHIR_JSON}; charset=utf-8`);
    assert.equal(Number(reply.headers.get('content-length')), Buffer.byteLength(reply.text));
    assert.equal(reply.resource!.resourceType, 'Binary');
    assert.equal(reply.resource!.contentType, 'text/plain');
    assert.deepEqual(Buffer.from(reply.resource!.data, 'base64'), bytes);
    assert.notEqual(reply.headers.get('etag'), `"${sha1}"`, 'another representation, another ETag');
    const again = await fetch(url, { headers: { Accept: FHIR_JSON, 'If-None-Match': reply.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('_format=xml gets the Binary as FHIR XML, which the fhir package reads back', async () => {
    const res = await fetch(`${url}&_format=xml`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), `${FHIR_XML}; charset=utf-8`);
    const text = await res.text();
    assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text));
    const binary = fromXml(text);
    assert.equal(binary.resourceType, 'Binary');
    assert.equal(binary.contentType, 'text/plain');
    assert.deepEqual(Buffer.from(binary.data, 'base64'), bytes);
  });

  it('a large document streams through both representations intact', async () => {
    const big = freshBundle('minimal-bundle.json');
    const content = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251;
    const binary = big.entry.find((e: Json) => e.resource.resourceType === 'Binary').resource;
    binary.data = content.toString('base64');
    const reply = await request(ctx.fhir, { method: 'POST', json: big });
    assert.equal(reply.status, 200, reply.text);
    const location = reply.resource!.entry.find((e: Json) => e.response.location.includes('/Binary/')).response.location;
    const raw = await fetch(location);
    assert.deepEqual(Buffer.from(await raw.arrayBuffer()), content);
    const asJson = await request(location, { headers: { Accept: FHIR_JSON } });
    assert.deepEqual(Buffer.from(asJson.resource!.data, 'base64'), content);
  });

  if (storage.files > 0) {
    it('a disk that fails (EIO) when the document is opened: 503 OperationOutcome with XDSRepositoryError, not a cut-off 200', async () => {
      const open = fsp.open;
      // The blob store opens its files through this module object: fail those opens only.
      fsp.open = (async (file: Parameters<typeof open>[0], ...rest: unknown[]) => {
        if (String(file).includes(path.join(ctx.dataDir, 'blobs'))) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
        return (open as (...a: unknown[]) => ReturnType<typeof open>)(file, ...rest);
      }) as typeof open;
      try {
        for (const accept of ['text/plain', FHIR_JSON]) {
          const reply = await request(url, { headers: { Accept: accept } });
          assert.equal(reply.status, 503, reply.text);
          assert.deepEqual(issuesOf(reply.resource).map(([code]) => code), ['XDSRepositoryError']);
          assert.match(reply.resource!.issue[0].diagnostics, /could not be read \(EIO\)/);
        }
      } finally {
        fsp.open = open;
      }
      assert.equal((await fetch(url)).status, 200, 'readable again once the disk is');
    });

    it('a tampered document file is refused before the status line: no 200, none of its bytes', async () => {
      const original = await fsp.readFile(documentFile!);
      const tampered = Buffer.from(original);
      tampered[tampered.length - 20]! ^= 0x01; // in the last segment's ciphertext
      await fsp.writeFile(documentFile!, tampered);
      try {
        for (const accept of ['text/plain', FHIR_JSON]) {
          const reply = await request(url, { headers: { Accept: accept } });
          assert.equal(reply.status, 500, reply.text);
          assert.equal(reply.resource!.resourceType, 'OperationOutcome');
          assert.ok(!reply.text.includes(bytes.subarray(0, 32).toString('utf8')), 'no document bytes in the answer');
        }
      } finally {
        await fsp.writeFile(documentFile!, original);
      }
      assert.equal((await fetch(url)).status, 200, 'served again once intact');
    });
  }

  it('an Accept that allows neither the document type nor FHIR: 406', async () => {
    const reply = await request(url, { headers: { Accept: 'application/pdf' } });
    assert.equal(reply.status, 406);
    assert.equal(reply.resource!.resourceType, 'OperationOutcome');
  });

  it('an unknown document: 404 OperationOutcome with XDSDocumentUniqueIdError', async () => {
    const reply = await request(`${ctx.fhir}/Binary/2.25.1?repositoryUniqueId=${ctx.gw.repository.repositoryUniqueId}`);
    assert.equal(reply.status, 404);
    assert.deepEqual(issuesOf(reply.resource), [['XDSDocumentUniqueIdError', undefined]]);
  });

  it('an unknown repository: 404 with XDSUnknownRepositoryId', async () => {
    const reply = await request(url.replace(/repositoryUniqueId=[^&]+/, 'repositoryUniqueId=2.25.999'));
    assert.equal(reply.status, 404);
    assert.deepEqual(issuesOf(reply.resource), [['XDSUnknownRepositoryId', undefined]]);
  });

  it('this community\'s homeCommunityId (Czech hcid routing), or none, is served locally', async () => {
    assert.equal(new URL(url).searchParams.get('homeCommunityId'), ctx.gw.config.homeCommunityId);
    const named = await fetch(url);
    assert.equal(named.status, 200);
    assert.deepEqual(Buffer.from(await named.arrayBuffer()), bytes);
    const unnamed = await fetch(url.replace(/&?homeCommunityId=[^&]+/, ''));
    assert.equal(unnamed.status, 200);
    assert.deepEqual(Buffer.from(await unnamed.arrayBuffer()), bytes);
  });

  it('another community: 404 with XDSUnknownCommunity', async () => {
    const reply = await request(url.replace(/homeCommunityId=[^&]+/, 'homeCommunityId=urn%3Aoid%3A2.25.42'));
    assert.equal(reply.status, 404);
    assert.deepEqual(issuesOf(reply.resource), [['XDSUnknownCommunity', undefined]]);
  });
}, storage.env);
