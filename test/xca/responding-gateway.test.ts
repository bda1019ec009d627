// XCA Responding Gateway over HTTP, both stores: ITI-38 answered from the local registry with
// home = this community on every object, ITI-39 from the local repository with HomeCommunityId
// echoed; a request for another community refused with XDSUnknownCommunity; each request's
// audit record with its ATC code.
import assert from 'node:assert/strict';
import type { Element } from '@xmldom/xmldom';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { childNamed, childrenNamed } from '../../src/soap';
import { XDS_NS } from '../../src/xds/namespaces';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { newPatient, oid, provideSingle, quoted, registered, slot, XDS_TRANSACTIONS } from '../xds/support/messages';
import { errorCodes, queryObjects, registryResult } from '../xds/support/responses';
import { readAll, type SoapReply } from '../xds/support/soap-client';
import { crossGatewayQuery, crossGatewayRetrieve } from './support';

const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const OTHER_COMMUNITY = 'urn:oid:1.2.203.999.100';

describeEachStoreOverHttp('xca Responding Gateway (ITI-38, ITI-39)', (ctx) => {
  let home: string;
  let repository: string;
  let patient: string;
  const docs: { uid: string; entryUuid: string; content: Buffer }[] = [];

  before(async () => {
    home = ctx.gw.config.homeCommunityId;
    repository = ctx.gw.config.repositoryUniqueId;
    patient = await newPatient(ctx.gw);
    for (const text of ['Propouštěcí zpráva – kardiologie', 'Laboratorní výsledky: troponin negativní']) {
      const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient, content: Buffer.from(text) });
      assert.equal(registryResult(reply).status, 'Success');
      docs.push({ uid: submitted.docUid, entryUuid: (await registered(ctx.gw, submitted.docUid)).entryUuid, content: submitted.content });
    }
  });

  /** Audit records of a transaction carrying a subtype (the ATC code), by outcome. */
  async function records(transaction: string, atc: string): Promise<{ success: number; failure: number }> {
    const r = await ctx.gw.db.query<{ success: number; failure: number }>(
      `SELECT count(*) FILTER (WHERE outcome = '0')::int AS success, count(*) FILTER (WHERE outcome <> '0')::int AS failure
         FROM audit_events WHERE $1 = ANY(subtypes) AND $2 = ANY(subtypes)`,
      [`urn:ihe:event-type-code|${transaction}`, atc],
    );
    return r.rows[0]!;
  }

  async function added(transaction: string, atc: string, act: () => Promise<unknown>): Promise<{ success: number; failure: number }> {
    const before = await records(transaction, atc);
    await act();
    const after = await records(transaction, atc);
    return { success: after.success - before.success, failure: after.failure - before.failure };
  }

  const findDocuments = (community: string) => crossGatewayQuery(ctx.baseUrl, community, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))]);

  it('ITI-38 FindDocuments: the patient\'s documents, each with home = this community, audited as ATC_DOC_SEARCH', async () => {
    let reply: SoapReply | undefined;
    const delta = await added('ITI-38', 'ATC_DOC_SEARCH', async () => {
      reply = await findDocuments(home);
    });
    const objects = queryObjects(reply!);
    assert.equal(registryResult(reply!, XDS_TRANSACTIONS.crossGatewayQuery.response).status, 'Success');
    assert.deepEqual(objects.map((o) => o.localName), ['ExtrinsicObject', 'ExtrinsicObject']);
    assert.deepEqual(objects.map((o) => o.getAttribute('id')).sort(), docs.map((d) => d.entryUuid).sort());
    assert.ok(objects.every((o) => o.getAttribute('home') === home), 'every ExtrinsicObject names this community');
    assert.deepEqual(delta, { success: 1, failure: 0 });
  });

  it('ITI-38 GetDocuments as ObjectRef and GetSubmissionSets: ObjectRefs and RegistryPackages carry home too', async () => {
    const uuids = `(${docs.map((d) => `'${d.entryUuid}'`).join(',')})`;
    const refs = queryObjects(await crossGatewayQuery(ctx.baseUrl, home, StoredQueryId.GetDocuments, 'ObjectRef', [slot('$XDSDocumentEntryEntryUUID', uuids)]));
    assert.deepEqual(refs.map((o) => [o.localName, o.getAttribute('home')]), [['ObjectRef', home], ['ObjectRef', home]]);
    const sets = queryObjects(await crossGatewayQuery(ctx.baseUrl, home, StoredQueryId.GetSubmissionSets, 'LeafClass', [slot('$uuid', uuids)]));
    const packages = sets.filter((o) => o.localName === 'RegistryPackage');
    assert.equal(packages.length, 2);
    assert.ok(packages.every((o) => o.getAttribute('home') === home));
  });

  it('ITI-38 naming another community: Failure with XDSUnknownCommunity, and its failure record', async () => {
    let reply: SoapReply | undefined;
    const delta = await added('ITI-38', 'ATC_DOC_SEARCH', async () => {
      reply = await findDocuments(OTHER_COMMUNITY);
    });
    const r = registryResult(reply!, XDS_TRANSACTIONS.crossGatewayQuery.response);
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r), ['XDSUnknownCommunity']);
    assert.equal(queryObjects(reply!).length, 0);
    assert.deepEqual(delta, { success: 0, failure: 1 });
  });

  function documentResponses(reply: SoapReply): Element[] {
    return childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse');
  }
  const text = (e: Element, local: string) => childNamed(e, XDS_NS.xdsb, local)?.textContent ?? undefined;

  it('ITI-39: the documents over MTOM with HomeCommunityId echoed, audited as ATC_DOC_READ', async () => {
    let reply: SoapReply | undefined;
    const delta = await added('ITI-39', 'ATC_DOC_READ', async () => {
      reply = await crossGatewayRetrieve(ctx.baseUrl, docs.map((d) => ({ homeCommunityId: home, repositoryUniqueId: repository, documentUniqueId: d.uid })));
    });
    try {
      assert.match(reply!.contentType, /^multipart\/related/);
      assert.equal(registryResult(reply!, XDS_TRANSACTIONS.crossGatewayRetrieve.response).status, 'Success');
      const responses = documentResponses(reply!);
      assert.deepEqual(responses.map((dr) => [text(dr, 'HomeCommunityId'), text(dr, 'RepositoryUniqueId'), text(dr, 'DocumentUniqueId')]), docs.map((d) => [home, repository, d.uid]));
      for (const [i, dr] of responses.entries()) assert.deepEqual(await readAll(reply!.message.binary(childNamed(dr, XDS_NS.xdsb, 'Document')!).open()), docs[i]!.content);
    } finally {
      await reply!.message.dispose();
    }
    assert.deepEqual(delta, { success: 1, failure: 0 });
  });

  it('ITI-39 with documents of this and another community (and one naming none): PartialSuccess, an error for each foreign one', async () => {
    const reply = await crossGatewayRetrieve(ctx.baseUrl, [
      { homeCommunityId: home, repositoryUniqueId: repository, documentUniqueId: docs[0]!.uid },
      { homeCommunityId: OTHER_COMMUNITY, repositoryUniqueId: repository, documentUniqueId: docs[1]!.uid },
      { repositoryUniqueId: repository, documentUniqueId: docs[1]!.uid },
    ]);
    try {
      const r = registryResult(reply, XDS_TRANSACTIONS.crossGatewayRetrieve.response);
      assert.equal(r.status, 'PartialSuccess');
      assert.deepEqual(errorCodes(r), ['XDSUnknownCommunity', 'XDSMissingHomeCommunityId']);
      assert.deepEqual(r.errors.map((e) => e.location), [docs[1]!.uid, docs[1]!.uid]);
      assert.deepEqual(documentResponses(reply).map((dr) => [text(dr, 'HomeCommunityId'), text(dr, 'DocumentUniqueId')]), [[home, docs[0]!.uid]]);
    } finally {
      await reply.message.dispose();
    }
  });

  it('ITI-39 of another community only: Failure with XDSUnknownCommunity, and its failure record', async () => {
    let reply: SoapReply | undefined;
    const delta = await added('ITI-39', 'ATC_DOC_READ', async () => {
      reply = await crossGatewayRetrieve(ctx.baseUrl, [{ homeCommunityId: OTHER_COMMUNITY, repositoryUniqueId: repository, documentUniqueId: oid() }]);
    });
    const r = registryResult(reply!, XDS_TRANSACTIONS.crossGatewayRetrieve.response);
    await reply!.message.dispose();
    assert.equal(r.status, 'Failure');
    assert.deepEqual(errorCodes(r), ['XDSUnknownCommunity']);
    assert.deepEqual(delta, { success: 0, failure: 1 });
  });
});
