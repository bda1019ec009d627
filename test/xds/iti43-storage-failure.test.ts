// ITI-43 when the disk fails under some documents: each is checked readable before the MTOM
// reply starts, so an unreadable one (EIO, faked on opening its blob file) is answered with an
// XDSRepositoryError naming it, PartialSuccess beside the readable ones, instead of a 200
// reply cut off in the middle of its parts.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed } from '../../src/soap';
import { XDS_NS } from '../../src/xds/namespaces';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { newPatient, provideSingle, sendFixture, XDS_TRANSACTIONS } from './support/messages';
import { errorCodes, registryResult } from './support/responses';
import { readAll, type SoapReply } from './support/soap-client';

const RESPONSE = XDS_TRANSACTIONS.retrieve.response;

describeEachStoreOverHttp('xds ITI-43 Retrieve Document Set with failing storage', (ctx) => {
  const docs: { uid: string; content: Buffer; blobKey: string }[] = [];
  let repository: string;

  before(async () => {
    repository = ctx.gw.config.repositoryUniqueId;
    const patient = await newPatient(ctx.gw);
    for (const text of ['Propouštěcí zpráva', 'Laboratorní výsledky', 'Ambulantní zpráva']) {
      const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient, content: Buffer.from(text) });
      assert.equal(registryResult(reply).status, 'Success');
      const stored = await ctx.gw.repository.retrieve({ repositoryUniqueId: repository, documentUniqueId: submitted.docUid });
      docs.push({ uid: submitted.docUid, content: submitted.content, blobKey: stored.blobKey });
    }
  });

  /** The fixture's three DocumentRequests, one per document. */
  function retrieveAll(): Promise<SoapReply> {
    const values: Record<string, string> = { HOME: 'urn:oid:1.2.203.24341.11.2' };
    docs.forEach((d, i) => {
      values[`REPOSITORY_${i + 1}`] = repository;
      values[`DOC_UID_${i + 1}`] = d.uid;
    });
    return sendFixture(ctx.baseUrl, 'repository', 'iti43-retrieve.xml', values);
  }

  /** Runs `action` while opening the blob files of `failing` fails with EIO (the blob store opens files through this module object). */
  async function withFailingOpens<T>(failing: string[], action: () => Promise<T>): Promise<T> {
    const open = fsp.open;
    fsp.open = (async (file: Parameters<typeof open>[0], ...rest: unknown[]) => {
      if (failing.some((key) => String(file).endsWith(key))) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      return (open as (...a: unknown[]) => ReturnType<typeof open>)(file, ...rest);
    }) as typeof open;
    try {
      return await action();
    } finally {
      fsp.open = open;
    }
  }

  const responses = (reply: SoapReply): Element[] => childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse');

  it('one unreadable document: PartialSuccess, XDSRepositoryError at its uniqueId, the others whole', async () => {
    const reply = await withFailingOpens([docs[1]!.blobKey], retrieveAll);
    try {
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'PartialSuccess');
      assert.deepEqual(errorCodes(r), ['XDSRepositoryError']);
      assert.equal(r.errors[0]!.location, docs[1]!.uid);
      assert.match(r.errors[0]!.context, /could not be read \(EIO\)/);
      const readable = [docs[0]!, docs[2]!];
      assert.deepEqual(responses(reply).map((dr) => childNamed(dr, XDS_NS.xdsb, 'DocumentUniqueId')?.textContent), readable.map((d) => d.uid));
      for (const [i, dr] of responses(reply).entries()) {
        assert.deepEqual(await readAll(reply.message.binary(childNamed(dr, XDS_NS.xdsb, 'Document')!).open()), readable[i]!.content);
      }
    } finally {
      await reply.message.dispose();
    }
  });

  it('every document unreadable: Failure with an XDSRepositoryError each, no document parts', async () => {
    const reply = await withFailingOpens(docs.map((d) => d.blobKey), retrieveAll);
    try {
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), docs.map(() => 'XDSRepositoryError'));
      assert.deepEqual(r.errors.map((e) => e.location), docs.map((d) => d.uid));
      assert.equal(responses(reply).length, 0);
    } finally {
      await reply.message.dispose();
    }
  });

  it('readable again once the disk is: Success with every document', async () => {
    const reply = await retrieveAll();
    try {
      assert.equal(registryResult(reply, RESPONSE).status, 'Success');
      assert.equal(responses(reply).length, docs.length);
    } finally {
      await reply.message.dispose();
    }
  });
}, { DOCUMENT_INLINE_MAX_BYTES: '0' });
