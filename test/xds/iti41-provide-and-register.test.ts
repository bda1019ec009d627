// ITI-41 Provide and Register Document Set-b over HTTP: MTOM and inline documents, several
// documents with a folder, the document relationships, and each way a submission is refused.
import assert from 'node:assert/strict';
import { AssociationType, AvailabilityStatus } from '../../src/domain/metadata';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { StoredQueryId } from '../../src/domain/stored-queries';
import { hasName, NS, writeMtom } from '../../src/soap';
import { binaryPart, mtomContentType, multipart, BOUNDARY, rootPart, type MultipartShape, type TestPart } from '../soap/helpers';
import { describeEachStoreOverHttp, storedCounts } from '../support/http-gateway';
import { fillFixture } from './support/fixtures';
import { documentParts, newPatient, oid, provideSingle, registered, sendFixture, sha1, singleSubmission, XDS_TRANSACTIONS, type Packaging } from './support/messages';
import { errorCodes, faultOf, registryResult, relatesToOf } from './support/responses';
import { postRaw, readAll, readReply, sendSoap } from './support/soap-client';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

const RESPONSE = XDS_TRANSACTIONS.provideAndRegister.response;

describeEachStoreOverHttp('xds ITI-41 Provide and Register Document Set-b', (ctx) => {
  let patient: string;
  beforeEach(async () => {
    patient = await newPatient(ctx.gw);
  });

  async function stored(uniqueId: string): Promise<Buffer> {
    const doc = await ctx.gw.repository.retrieve({ repositoryUniqueId: ctx.gw.config.repositoryUniqueId, documentUniqueId: uniqueId });
    return readAll(doc.open());
  }

  for (const packaging of ['mtom', 'inline'] as Packaging[]) {
    it(`registers one document sent ${packaging === 'mtom' ? 'as an MTOM part' : 'inline in base64'} and stores its bytes`, async () => {
      const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient, packaging });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      assert.match(relatesToOf(reply) ?? '', /^urn:uuid:/);
      const entry = await registered(ctx.gw, submitted.docUid);
      assert.equal(entry.kind, 'DocumentEntry');
      if (entry.kind !== 'DocumentEntry') return;
      assert.equal(entry.hash, sha1(submitted.content));
      assert.equal(entry.size, submitted.content.length);
      assert.equal(entry.repositoryUniqueId, ctx.gw.config.repositoryUniqueId);
      assert.equal(entry.title, 'Propouštěcí zpráva – interní klinika');
      assert.deepEqual(await stored(submitted.docUid), submitted.content);
    });
  }

  it('answers a plain request plainly and an MTOM request with MTOM', async () => {
    const plain = await provideSingle(ctx.baseUrl, { patient, packaging: 'inline' });
    assert.match(plain.reply.contentType, /^application\/soap\+xml/);
    const mtom = await provideSingle(ctx.baseUrl, { patient, packaging: 'mtom' });
    assert.match(mtom.reply.contentType, /^multipart\/related/);
  });

  it('registers two documents in a new folder, parts in another order than the metadata, hash and size computed', async () => {
    const report = Buffer.from('Kardiologické vyšetření: EKG sinusový rytmus, TK 135/85.\n');
    const lab = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 0x41), Buffer.from('\n%%EOF\n')]);
    // The second document's part comes first in the MIME body: the reader spools it while the first is found.
    const parts = documentParts([{ id: 'Dokument02', content: lab, mimeType: 'application/pdf' }, { id: 'Dokument01', content: report }], 'mtom');
    const ids = { DOC_UID_1: oid(), DOC_UID_2: oid(), FOLDER_UID: oid() };
    const reply = await sendFixture(ctx.baseUrl, 'repository', 'iti41-multi.xml', { PATIENT: patient, SS_UID: oid(), ...ids, DOCUMENTS: parts.markup }, { attachments: parts.attachments });
    const r = registryResult(reply, RESPONSE);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    const lipids = await registered(ctx.gw, ids.DOC_UID_2);
    assert.ok(lipids.kind === 'DocumentEntry' && lipids.hash === sha1(lab) && lipids.size === lab.length && lipids.mimeType === 'application/pdf');
    assert.deepEqual(await stored(ids.DOC_UID_1), report);
    assert.deepEqual(await stored(ids.DOC_UID_2), lab);
    const folder = await registered(ctx.gw, ids.FOLDER_UID, 'GetFolders');
    assert.equal(folder.kind, 'Folder');
  });

  for (const [name, size] of [['small (kept in its row)', 0], ['large (kept in a file)', 200_000]] as const) {
    it(`registers an identical ${name} document again in a new submission set as a second entry, storing its bytes once`, async () => {
      const content = Buffer.concat([Buffer.from(`Propouštěcí zpráva ${oid()}\n`), Buffer.alloc(size, 0x41)]);
      const first = await provideSingle(ctx.baseUrl, { patient, content });
      assert.equal(registryResult(first.reply, RESPONSE).status, 'Success');
      const before = await storedCounts(ctx);
      const again = await provideSingle(ctx.baseUrl, { patient, content, docUid: first.submitted.docUid });
      const r = registryResult(again.reply, RESPONSE);
      assert.equal(r.status, 'Success', JSON.stringify(r.errors));
      const after = await storedCounts(ctx);
      assert.deepEqual(
        [after.document_entries, after.submission_sets, after.repository_documents, after.blobs],
        [before.document_entries + 1, before.submission_sets + 1, before.repository_documents, before.blobs],
      );
      const entries = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetDocuments, returnType: 'LeafClass', params: { $XDSDocumentEntryUniqueId: [[first.submitted.docUid]] } }), SYSTEM_PRINCIPAL);
      assert.equal(new Set(entries.objects.map((o) => o.entryUuid)).size, 2);
      assert.deepEqual(await stored(first.submitted.docUid), content);
    });
  }

  it('refuses the uniqueId of a registered document with other bytes (XDSNonIdenticalHash), storing nothing', async () => {
    const first = await provideSingle(ctx.baseUrl, { patient });
    assert.equal(registryResult(first.reply, RESPONSE).status, 'Success');
    const before = await storedCounts(ctx);
    const other = await provideSingle(ctx.baseUrl, { patient, docUid: first.submitted.docUid });
    const r = registryResult(other.reply, RESPONSE);
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r), ['XDSNonIdenticalHash']);
    assert.deepEqual(await storedCounts(ctx), before);
    assert.deepEqual(await stored(first.submitted.docUid), first.submitted.content);
  });

  describe('document relationships', () => {
    const cases = [
      { type: AssociationType.Replace, original: AvailabilityStatus.Deprecated },
      { type: AssociationType.Append, original: AvailabilityStatus.Approved },
      { type: AssociationType.Transform, original: AvailabilityStatus.Approved },
      { type: AssociationType.TransformReplace, original: AvailabilityStatus.Deprecated },
    ];
    for (const c of cases) {
      const name = c.type.split(':').pop();
      it(`${name}: registers the new document and leaves the original ${c.original.split(':').pop()}`, async () => {
        const first = await provideSingle(ctx.baseUrl, { patient });
        assert.equal(registryResult(first.reply).status, 'Success');
        const original = await registered(ctx.gw, first.submitted.docUid);
        const extra = fillFixture('association-relationship.xml', { ASSOCIATION_TYPE: c.type, TARGET: original.entryUuid });
        const second = await provideSingle(ctx.baseUrl, { patient, extra });
        const r = registryResult(second.reply, RESPONSE);
        assert.equal(r.status, 'Success', JSON.stringify(r.errors));
        assert.equal((await registered(ctx.gw, first.submitted.docUid)).availabilityStatus, c.original);
        assert.equal((await registered(ctx.gw, second.submitted.docUid)).availabilityStatus, AvailabilityStatus.Approved);
      });
    }
  });

  describe('refusals', () => {
    it('metadata without its document: XDSMissingDocument, nothing stored', async () => {
      const before = await storedCounts(ctx);
      const { reply } = await provideSingle(ctx.baseUrl, { patient, withDocument: false });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSMissingDocument']);
      assert.deepEqual(await storedCounts(ctx), before);
    });

    it('a document without metadata: XDSMissingDocumentMetadata, nothing stored', async () => {
      const before = await storedCounts(ctx);
      const { reply } = await provideSingle(ctx.baseUrl, { patient, extraDocuments: [{ id: 'Dokument99', content: Buffer.from('bez metadat') }] });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSMissingDocumentMetadata']);
      assert.equal(r.errors[0]!.location, 'Dokument99');
      assert.deepEqual(await storedCounts(ctx), before);
    });

    it('a hash that does not match the bytes: XDSRepositoryMetadataError, nothing stored', async () => {
      const before = await storedCounts(ctx);
      const { reply } = await provideSingle(ctx.baseUrl, { patient, hash: sha1('jiný obsah') });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSRepositoryMetadataError']);
      assert.match(r.errors[0]!.context, /hash/);
      assert.deepEqual(await storedCounts(ctx), before);
    });

    it('a malformed hash (123e2): XDSRepositoryMetadataError like a wrong one, nothing stored', async () => {
      const before = await storedCounts(ctx);
      const { reply } = await provideSingle(ctx.baseUrl, { patient, hash: '123e2' });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSRepositoryMetadataError']);
      assert.match(r.errors[0]!.context, /hash/);
      assert.deepEqual(await storedCounts(ctx), before);
    });

    it('a patient the registry does not know: XDSUnknownPatientId, nothing stored', async () => {
      const before = await storedCounts(ctx);
      const { reply } = await provideSingle(ctx.baseUrl, { patient: await newPatient(ctx.gw, false) });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.ok(errorCodes(r).includes('XDSUnknownPatientId'), JSON.stringify(r.errors));
      assert.deepEqual(await storedCounts(ctx), before);
    });

    it('metadata the codec cannot read (no SubmissionSet): XDSRegistryMetadataError', async () => {
      const { envelope, attachments } = singleSubmission({ patient });
      // Without its classification the RegistryPackage is no SubmissionSet.
      const altered = envelope.replace(/<rim:Classification id="cl-ss-node"[^>]*\/>/, '');
      const r = registryResult(await sendSoap(`${ctx.baseUrl}/xds/repository`, altered, { attachments }), RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.ok(errorCodes(r).includes('XDSRegistryMetadataError'), JSON.stringify(r.errors));
    });

    it('a truncated MTOM body: Sender fault, and no blob or entry is left behind', async () => {
      const before = await storedCounts(ctx);
      const { envelope, attachments } = singleSubmission({ patient, content: Buffer.alloc(2 * 1024 * 1024, 0x5a) });
      const full = writeMtom(envelope, attachments);
      const bytes = await readAll(full.body);
      const reply = await readReply(await postRaw(`${ctx.baseUrl}/xds/repository`, bytes.subarray(0, bytes.length - 1024 * 1024), full.contentType));
      assert.equal(reply.status, 400);
      assert.ok(hasName(reply.payload, NS.soap12, 'Fault'));
      assert.match(faultOf(reply).message, /TRUNCATED/);
      assert.deepEqual(await storedCounts(ctx), before);
    });

    describe('the MTOM body after the last document part is checked before anything is registered', () => {
      // Above DOCUMENT_INLINE_MAX_BYTES: the document goes to a blob file, which must not stay.
      const content = Buffer.alloc(100_000, 0x61);
      /** The single submission as an MTOM body built part by part, with the parts `extra` returns after its document. */
      async function sendWithTrailing(extra: (documentCid: string) => TestPart[], shape: MultipartShape = {}) {
        const { envelope, attachments } = singleSubmission({ patient, content });
        const document = attachments[0]!;
        const parts = [rootPart(envelope), binaryPart(document.contentId, content), ...extra(document.contentId)];
        return readReply(await postRaw(`${ctx.baseUrl}/xds/repository`, multipart(BOUNDARY, parts, shape), mtomContentType()));
      }

      it('a Content-ID repeated after the document part: Sender fault DUPLICATE_CID, nothing stored', async () => {
        const before = await storedCounts(ctx);
        const reply = await sendWithTrailing((cid) => [binaryPart(cid, Buffer.from('jiný obsah'))]);
        assert.equal(reply.status, 400);
        assert.match(faultOf(reply).message, /DUPLICATE_CID/);
        assert.deepEqual(await storedCounts(ctx), before);
      });

      it('a body cut off inside a trailing part: Sender fault TRUNCATED, nothing stored', async () => {
        const before = await storedCounts(ctx);
        const reply = await sendWithTrailing(() => [binaryPart('priloha@example.cz', Buffer.alloc(50_000, 0x62))], { omitClose: true });
        assert.equal(reply.status, 400);
        assert.match(faultOf(reply).message, /TRUNCATED/);
        assert.deepEqual(await storedCounts(ctx), before);
      });

      it('a part no xdsb:Document includes: XDSMissingDocumentMetadata naming it, nothing stored', async () => {
        const before = await storedCounts(ctx);
        const reply = await sendWithTrailing(() => [binaryPart('priloha@example.cz', Buffer.from('bez metadat'))]);
        const r = registryResult(reply, RESPONSE);
        assert.equal(r.status, 'Failure');
        assert.deepEqual(errorCodes(r), ['XDSMissingDocumentMetadata']);
        assert.equal(r.errors[0]!.location, 'priloha@example.cz');
        assert.deepEqual(await storedCounts(ctx), before);
      });
    });

    it('an xop:Include naming no MIME part: Sender fault', async () => {
      const { envelope } = singleSubmission({ patient });
      const m = writeMtom(envelope, [{ contentId: 'jinde@example.cz', contentType: 'text/plain', content: Buffer.from('x') }]);
      const reply = await readReply(await postRaw(`${ctx.baseUrl}/xds/repository`, m.body, m.contentType));
      assert.equal(reply.status, 400);
      assert.match(faultOf(reply).message, /UNKNOWN_CID/);
    });

    it('two xdsb:Document elements with one id: XDSRepositoryMetadataError', async () => {
      const { reply } = await provideSingle(ctx.baseUrl, { patient, extraDocuments: [{ id: 'Dokument01', content: Buffer.from('podruhé') }] });
      const r = registryResult(reply, RESPONSE);
      assert.equal(r.status, 'Failure');
      assert.deepEqual(errorCodes(r), ['XDSRepositoryMetadataError']);
    });
  });

});
