// ITI-42 Register Document Set-b over HTTP: metadata of documents another repository stores.
import assert from 'node:assert/strict';
import { StoredQueryId } from '../../src/domain/stored-queries';
import { describeEachStoreOverHttp, storedCounts } from '../support/http-gateway';
import { idsOf, newPatient, oid, quoted, registered, sendFixture, sha1, slot, storedQuery, XDS_TRANSACTIONS } from './support/messages';
import { errorCodes, queryObjects, registryResult } from './support/responses';

const RESPONSE = XDS_TRANSACTIONS.register.response;
const OTHER_REPOSITORY = '1.2.203.24341.11.2.1.4.1';

describeEachStoreOverHttp('xds ITI-42 Register Document Set-b', (ctx) => {
  const content = 'Propouštěcí zpráva uložená v úložišti nemocnice';

  function register(patient: string, values: Record<string, string | number> = {}) {
    const docUid = String(values.DOC_UID ?? oid());
    const reply = sendFixture(ctx.baseUrl, 'registry', 'iti42-register.xml', {
      PATIENT: patient, SS_UID: oid(), DOC_UID: docUid, HASH: sha1(content), SIZE: Buffer.byteLength(content), REPOSITORY_ID: OTHER_REPOSITORY, ...values,
    });
    return { reply, docUid };
  }

  it('registers the metadata with the repository fields as given', async () => {
    const { reply, docUid } = register(await newPatient(ctx.gw));
    const r = registryResult(await reply, RESPONSE);
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    const entry = await registered(ctx.gw, docUid);
    assert.ok(entry.kind === 'DocumentEntry');
    assert.equal(entry.repositoryUniqueId, OTHER_REPOSITORY);
    assert.equal(entry.hash, sha1(content));
  });

  it('registers the same document (uniqueId, hash, size) again in a new submission set as a second entry; other content is refused', async () => {
    const patient = await newPatient(ctx.gw);
    const first = register(patient);
    assert.equal(registryResult(await first.reply, RESPONSE).status, 'Success');
    const again = registryResult(await register(patient, { DOC_UID: first.docUid }).reply, RESPONSE);
    assert.equal(again.status, 'Success', JSON.stringify(again.errors));
    const found = await storedQuery(ctx.baseUrl, StoredQueryId.GetDocuments, 'LeafClass', [slot('$XDSDocumentEntryUniqueId', quoted(first.docUid))]);
    assert.equal(new Set(idsOf(queryObjects(found).filter((o) => o.localName === 'ExtrinsicObject'))).size, 2);
    const otherHash = registryResult(await register(patient, { DOC_UID: first.docUid, HASH: sha1('jiný obsah') }).reply, RESPONSE);
    assert.deepEqual(errorCodes(otherHash), ['XDSNonIdenticalHash']);
    const otherSize = registryResult(await register(patient, { DOC_UID: first.docUid, SIZE: Buffer.byteLength(content) + 1 }).reply, RESPONSE);
    assert.deepEqual(errorCodes(otherSize), ['XDSNonIdenticalSize']);
  });

  it('refuses metadata without the repository fields (ITI-42 requires them)', async () => {
    const { reply } = register(await newPatient(ctx.gw), { REPOSITORY_ID: '' });
    const r = registryResult(await reply, RESPONSE);
    assert.equal(r.status, 'Failure');
    assert.ok(errorCodes(r).every((c) => c === 'XDSRegistryMetadataError'), JSON.stringify(r.errors));
    assert.ok(r.errors.some((e) => /repositoryUniqueId/.test(e.context)), JSON.stringify(r.errors));
  });

  it('refuses a patient the registry does not know, storing nothing', async () => {
    const before = await storedCounts(ctx);
    const { reply } = register(await newPatient(ctx.gw, false));
    const r = registryResult(await reply, RESPONSE);
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r), ['XDSUnknownPatientId']);
    assert.deepEqual(await storedCounts(ctx), before);
  });

  it('is not served by the repository endpoint', async () => {
    const reply = await sendFixture(ctx.baseUrl, 'repository', 'iti42-register.xml', { PATIENT: await newPatient(ctx.gw), SS_UID: oid(), DOC_UID: oid(), HASH: sha1(content), SIZE: 1, REPOSITORY_ID: OTHER_REPOSITORY });
    assert.equal(reply.status, 400);
    assert.match(reply.payload.textContent ?? '', /ActionNotSupported|cannot be processed/);
  });
});
