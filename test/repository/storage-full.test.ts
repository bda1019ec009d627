// A full document disk, for real: DATA_DIR/blobs is a small tmpfs, filled up. ITI-65 answers
// 507 with an OperationOutcome, ITI-41 XDSRepositoryOutOfResources, the MTOM spool a
// StorageError; nothing is registered and no file is left behind. Once space is freed, the
// very same submission succeeds.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readSoapMessage } from '../../src/soap';
import { StorageError } from '../../src/storage-error';
import { feedPatient, freshBundle, request, type Json } from '../fhir/http/support';
import { BOUNDARY, binaryPart, iti41Root, mtomContentType, multipart, readError, rootPart, bytes } from '../soap/helpers';
import { describeEachStoreOverHttp, storedCounts } from '../support/http-gateway';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs';
import { newPatient, singleSubmission } from '../xds/support/messages';
import { errorCodes, registryResult } from '../xds/support/responses';
import { sendSoap } from '../xds/support/soap-client';

/** Above DOCUMENT_INLINE_MAX_BYTES (64 KiB by default), so documents go to blob files. */
const DOCUMENT_BYTES = 200_000;
let disk: Tmpfs | undefined;

describeEachStoreOverHttp('repository: a full document disk', (ctx) => {
  beforeEach(async () => {
    await disk!.fill();
  });
  afterEach(async () => {
    await disk!.free();
  });

  it('ITI-65: 507 with an OperationOutcome naming XDSRepositoryOutOfResources, nothing stored; succeeds once there is room', async () => {
    assert.ok((await feedPatient(ctx.fhir)).status < 300);
    const bundle = freshBundle('minimal-bundle.json');
    const binary = bundle.entry.find((e: Json) => e.resource.resourceType === 'Binary').resource;
    binary.data = bytes(DOCUMENT_BYTES, 7).toString('base64');
    const before = await storedCounts(ctx);
    const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(reply.status, 507, reply.text);
    assert.equal(reply.resource!.resourceType, 'OperationOutcome');
    const [issue] = reply.resource!.issue;
    assert.equal(issue.code, 'no-store');
    assert.equal(issue.details.coding[0].code, 'XDSRepositoryOutOfResources');
    assert.match(issue.diagnostics, /storage is full \(ENOSPC\)/);
    assert.deepEqual(await storedCounts(ctx), before);

    await disk!.free();
    const again = await request(ctx.fhir, { method: 'POST', json: bundle });
    assert.equal(again.status, 200, again.text);
  });

  it('ITI-41 over MTOM: XDSRepositoryOutOfResources, nothing stored; succeeds once there is room', async () => {
    const url = `${ctx.baseUrl}/xds/repository`;
    const { envelope, attachments } = singleSubmission({ patient: await newPatient(ctx.gw), content: bytes(DOCUMENT_BYTES, 8) }, url);
    const before = await storedCounts(ctx);
    const r = registryResult(await sendSoap(url, envelope, { attachments }));
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r), ['XDSRepositoryOutOfResources']);
    assert.match(r.errors[0]!.context, /full \(ENOSPC\); nothing was stored/);
    assert.deepEqual(await storedCounts(ctx), before);

    await disk!.free();
    assert.equal(registryResult(await sendSoap(url, envelope, { attachments })).status, 'Success');
  });

  it('the MTOM spool on a full disk: the attachment fails with a StorageError, no spool file is left', async () => {
    const spoolDir = path.join(ctx.dataDir, 'blobs');
    const before = await storedCounts(ctx);
    const cids = ['a@x', 'b@x', 'c@x'];
    const body = multipart(BOUNDARY, [rootPart(iti41Root(cids)), ...cids.map((c, i) => binaryPart(c, bytes(DOCUMENT_BYTES, i)))]);
    const msg = await readSoapMessage((async function* () { yield body; })(), mtomContentType(), { spoolDir });
    try {
      // The last part first: the two before it must be spooled, and cannot be.
      const err = await readError(msg.attachment('c@x'));
      assert.ok(err instanceof StorageError && err.operation === 'write' && err.failure === 'full', String(err));
    } finally {
      await msg.dispose();
    }
    assert.deepEqual(await storedCounts(ctx), before);
  });
}, {}, {
  async beforeOpen(dataDir, mocha) {
    disk = await mountTmpfs(mocha, path.join(dataDir, 'blobs'), 4 * 1024 * 1024);
  },
  async afterClose() {
    await disk?.unmount();
    disk = undefined;
  },
});
