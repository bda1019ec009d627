// ITI-43 Retrieve Document Set over HTTP: MTOM response with one part per found document,
// RegistryErrors for the rest, Success / PartialSuccess / Failure.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed } from '../../src/soap';
import { XDS_NS } from '../../src/xds/namespaces';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { documentRequests, newPatient, oid, provideSingle, sendFixture, XDS_TRANSACTIONS } from './support/messages';
import { errorCodes, registryResult } from './support/responses';
import { fillFixture } from './support/fixtures';
import { postRaw, readAll, readReply, type SoapReply } from './support/soap-client';

const RESPONSE = XDS_TRANSACTIONS.retrieve.response;
const HOME = 'urn:oid:1.2.203.24341.11.2';

describeEachStoreOverHttp('xds ITI-43 Retrieve Document Set', (ctx) => {
  const docs: { uid: string; content: Buffer }[] = [];
  let repository: string;

  before(async () => {
    repository = ctx.gw.config.repositoryUniqueId;
    const patient = await newPatient(ctx.gw);
    for (const text of ['Ambulantní zpráva – neurologie', 'Výsledek CT mozku bez patologického nálezu']) {
      const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient, content: Buffer.from(text) });
      assert.equal(registryResult(reply).status, 'Success');
      docs.push({ uid: submitted.docUid, content: submitted.content });
    }
  });

  function retrieve(requests: { repository: string; uid: string }[]): Promise<SoapReply> {
    const values: Record<string, string> = { HOME };
    requests.forEach((r, i) => {
      values[`REPOSITORY_${i + 1}`] = r.repository;
      values[`DOC_UID_${i + 1}`] = r.uid;
    });
    return sendFixture(ctx.baseUrl, 'repository', 'iti43-retrieve.xml', values);
  }

  function documentResponses(reply: SoapReply): Element[] {
    return childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse');
  }

  const text = (e: Element, local: string) => childNamed(e, XDS_NS.xdsb, local)?.textContent ?? undefined;

  /** The bytes of each DocumentResponse, read to the end of the response before it is released. */
  async function contents(reply: SoapReply): Promise<Buffer[]> {
    try {
      const out: Buffer[] = [];
      for (const dr of documentResponses(reply)) out.push(await readAll(reply.message.binary(childNamed(dr, XDS_NS.xdsb, 'Document')!).open()));
      return out;
    } finally {
      await reply.message.dispose();
    }
  }

  it('returns the found documents as MTOM parts and an XDSDocumentUniqueIdError for the unknown one', async () => {
    const unknown = oid();
    const reply = await retrieve([{ repository, uid: docs[0]!.uid }, { repository, uid: docs[1]!.uid }, { repository, uid: unknown }]);
    assert.match(reply.contentType, /^multipart\/related/);
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'PartialSuccess');
    assert.deepEqual(errorCodes(r), ['XDSDocumentUniqueIdError']);
    assert.equal(r.errors[0]!.location, unknown);
    const responses = documentResponses(reply);
    assert.equal(responses.length, 2);
    for (const [i, dr] of responses.entries()) {
      assert.equal(text(dr, 'RepositoryUniqueId'), repository);
      assert.equal(text(dr, 'DocumentUniqueId'), docs[i]!.uid);
      assert.equal(text(dr, 'mimeType'), 'text/plain');
    }
    // The HomeCommunityId of the request is echoed for the document that named one.
    assert.equal(text(responses[1]!, 'HomeCommunityId'), HOME);
    assert.deepEqual(await contents(reply), [docs[0]!.content, docs[1]!.content]);
  });

  it('reports a foreign repository with XDSUnknownRepositoryId', async () => {
    const reply = await retrieve([{ repository, uid: docs[0]!.uid }, { repository: '1.2.203.99.1', uid: docs[1]!.uid }, { repository, uid: docs[1]!.uid }]);
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'PartialSuccess');
    assert.deepEqual(errorCodes(r), ['XDSUnknownRepositoryId']);
    assert.deepEqual(await contents(reply), [docs[0]!.content, docs[1]!.content]);
  });

  it('answers Failure, still as MTOM, when nothing is found', async () => {
    const reply = await retrieve([{ repository, uid: oid() }, { repository, uid: oid() }, { repository: '1.2.203.99.1', uid: oid() }]);
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r).sort(), ['XDSDocumentUniqueIdError', 'XDSDocumentUniqueIdError', 'XDSUnknownRepositoryId']);
    assert.match(reply.contentType, /^multipart\/related/);
    assert.deepEqual(await contents(reply), []);
  });

  it('a client that goes away in the middle of a large response leaves the gateway serving', async () => {
    const big = await provideSingle(ctx.baseUrl, { patient: await newPatient(ctx.gw), content: Buffer.alloc(8 * 1024 * 1024, 0x41) });
    assert.equal(registryResult(big.reply).status, 'Success');
    const envelope = fillFixture('iti43-retrieve.xml', { MESSAGE_ID: randomUUID(), TO: 'x', HOME, REPOSITORY_1: repository, DOC_UID_1: big.submitted.docUid, REPOSITORY_2: repository, DOC_UID_2: big.submitted.docUid, REPOSITORY_3: repository, DOC_UID_3: big.submitted.docUid });
    const res = await postRaw(`${ctx.baseUrl}/xds/repository`, envelope, 'application/soap+xml; charset=UTF-8');
    assert.equal(res.status, 200);
    await new Promise<void>((resolve) => res.body.once('data', () => resolve()));
    res.body.destroy();
    const after = await retrieve([{ repository, uid: docs[0]!.uid }, { repository, uid: docs[1]!.uid }, { repository, uid: docs[0]!.uid }]);
    assert.equal(registryResult(after).status, 'Success');
    assert.deepEqual(await contents(after), [docs[0]!.content, docs[1]!.content, docs[0]!.content]);
  });

  it('small documents are read whole before the reply: a tampered one is an XDSRepositoryError, the others intact', async () => {
    // Two small documents kept inline in their rows and one in a blob file (over DOCUMENT_INLINE_MAX_BYTES, 64 KiB).
    const patient = await newPatient(ctx.gw);
    const provided: { uid: string; content: Buffer }[] = [];
    for (const [i, size] of [40_000, 50_000, 200_000].entries()) {
      const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient, content: Buffer.alloc(size, 0x30 + i) });
      assert.equal(registryResult(reply).status, 'Success');
      provided.push({ uid: submitted.docUid, content: submitted.content });
    }
    const retrieveAll = async () => readReply(await postRaw(`${ctx.baseUrl}/xds/repository`, fillFixture('iti43-retrieve-many.xml', {
      MESSAGE_ID: randomUUID(), TO: `${ctx.baseUrl}/xds/repository`,
      DOCUMENT_REQUESTS: documentRequests(provided.map((p) => ({ repositoryUniqueId: repository, documentUniqueId: p.uid }))),
    }), 'application/soap+xml; charset=UTF-8'));
    const whole = await retrieveAll();
    assert.equal(registryResult(whole, RESPONSE).status, 'Success');
    assert.deepEqual(await contents(whole), provided.map((p) => p.content));

    // One bit of the sealed bytes in the row flipped, past the header: a segment's ciphertext.
    const tampered = provided[1]!;
    const row = await ctx.gw.db.query<{ content: Uint8Array }>('SELECT content FROM repository_documents WHERE document_unique_id = $1', [tampered.uid]);
    const sealed = Buffer.from(row.rows[0]!.content);
    sealed[sealed.length - 100]! ^= 0x01;
    await ctx.gw.db.query('UPDATE repository_documents SET content = $1 WHERE document_unique_id = $2', [sealed, tampered.uid]);
    const reply = await retrieveAll();
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'PartialSuccess');
    assert.deepEqual(errorCodes(r), ['XDSRepositoryError']);
    assert.equal(r.errors[0]!.location, tampered.uid);
    assert.deepEqual(documentResponses(reply).map((dr) => text(dr, 'DocumentUniqueId')), provided.filter((p) => p !== tampered).map((p) => p.uid));
    assert.deepEqual(await contents(reply), provided.filter((p) => p !== tampered).map((p) => p.content));
  });

  it('answers Success when every document is found', async () => {
    const reply = await retrieve([{ repository, uid: docs[1]!.uid }, { repository, uid: docs[0]!.uid }, { repository, uid: docs[1]!.uid }]);
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'Success');
    assert.deepEqual(await contents(reply), [docs[1]!.content, docs[0]!.content, docs[1]!.content]);
  });
});
