// ATNA audit of the XDS.b transactions: after each one, audit_events holds its event with the
// IHE subtype, the Czech ATC code, action, outcome and patient; a submission's event commits in
// the same statement (so the same database transaction) as the submission.
import assert from 'node:assert/strict';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { xml } from './support/fixtures';
import { documentRequests, newPatient, oid, provideSingle, quoted, registered, sendFixture, sha1, slot, storedQuery, type SingleSubmission } from './support/messages';
import { registryResult } from './support/responses';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal';
import { validateStoredQuery } from '../../src/xds/stored-query-request';

interface EventRow {
  patient_id: string | null;
  subtypes: string[];
  action: string | null;
  outcome: string;
  resource: { outcomeDesc?: string; entity?: { what?: { identifier?: { value?: string } } }[] };
}

describeEachStoreOverHttp('xds ATNA audit events', (ctx) => {
  let patient: string;
  beforeEach(async () => {
    patient = await newPatient(ctx.gw);
  });

  /** The events of one transaction about the test's patient (or with no patient: `null`). */
  async function eventsOf(transaction: string, who: string | null = patient): Promise<EventRow[]> {
    const r = await ctx.gw.db.query<EventRow>(
      `SELECT patient_id, subtypes, action, outcome, resource FROM audit_events
        WHERE $1 = ANY(subtypes) AND patient_id IS NOT DISTINCT FROM $2 ORDER BY recorded`,
      [`urn:ihe:event-type-code|${transaction}`, who],
    );
    return r.rows;
  }

  /** The one event of the transaction, checked for its ATC code, action and outcome. */
  async function theEvent(transaction: string, expected: { atc: string; action: string; outcome: string }, who: string | null = patient): Promise<EventRow> {
    const events = await eventsOf(transaction, who);
    assert.equal(events.length, 1, `${transaction} events: ${JSON.stringify(events)}`);
    const e = events[0]!;
    assert.ok(e.subtypes.includes(`https://hl7.cz/fhir/hie/CodeSystem/cz-atc-cs|${expected.atc}`), JSON.stringify(e.subtypes));
    assert.equal(e.action, expected.action);
    assert.equal(e.outcome, expected.outcome);
    assert.equal(e.patient_id, who);
    return e;
  }

  /** Entity identifiers without the urn:oid: prefix the Czech guide writes OIDs with. */
  const entityValues = (e: EventRow) => (e.resource.entity ?? []).map((x) => x.what?.identifier?.value?.replace(/^urn:oid:/, ''));

  async function provided(): Promise<SingleSubmission & { entryUuid: string }> {
    const { reply, submitted } = await provideSingle(ctx.baseUrl, { patient });
    assert.equal(registryResult(reply).status, 'Success');
    return { ...submitted, entryUuid: (await registered(ctx.gw, submitted.docUid)).entryUuid };
  }

  it('ITI-41: one event per submission, committed in the submission\'s transaction', async () => {
    const docs = [await provided(), await provided(), await provided()];
    const events = await eventsOf('ITI-41');
    const sets = await ctx.gw.db.query<{ n: number }>('SELECT count(*)::int AS n FROM submission_sets WHERE patient_id = $1', [patient]);
    assert.equal(events.length, sets.rows[0]!.n);
    assert.equal(events.length, 3);
    const e = await ctx.gw.db.query<{ same: boolean }>(
      `SELECT e.xmin::text = s.xmin::text AS same FROM audit_events e, submission_sets s
        WHERE s.unique_id = $1 AND e.resource::text LIKE '%' || $1 || '%'`,
      [docs[0]!.ssUid],
    );
    assert.deepEqual(e.rows, [{ same: true }]);
    for (const ev of events) {
      assert.ok(ev.subtypes.includes('ATC_DOC_CREATE'));
      assert.equal(ev.action, 'C');
      assert.equal(ev.outcome, '0');
    }
    assert.ok(events.some((ev) => entityValues(ev).includes(docs[1]!.docUid)));
  });

  it('ITI-41 refused (wrong hash): a failure event with the patient, nothing registered', async () => {
    const { reply } = await provideSingle(ctx.baseUrl, { patient, hash: sha1('something else') });
    assert.equal(registryResult(reply).status, 'Failure');
    const e = await theEvent('ITI-41', { atc: 'ATC_DOC_CREATE', action: 'C', outcome: '8' });
    assert.match(e.resource.outcomeDesc ?? '', /XDSRepositoryMetadataError/);
  });

  it('ITI-42: the registration event', async () => {
    const content = 'Propouštěcí zpráva uložená v úložišti nemocnice';
    const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti42-register.xml', {
      PATIENT: patient, SS_UID: oid(), DOC_UID: oid(), HASH: sha1(content), SIZE: Buffer.byteLength(content), REPOSITORY_ID: '1.2.203.99.7',
    });
    assert.equal(registryResult(reply).status, 'Success', JSON.stringify(registryResult(reply).errors));
    await theEvent('ITI-42', { atc: 'ATC_DOC_CREATE', action: 'C', outcome: '0' });
  });

  it('ITI-18: the query event, with the AdhocQuery and the queried patient', async () => {
    await provided();
    const reply = await storedQuery(ctx.baseUrl, StoredQueryId.FindDocuments, 'LeafClass', [
      slot('$XDSDocumentEntryPatientId', quoted(patient)),
      slot('$XDSDocumentEntryStatus', quoted('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')),
    ]);
    assert.equal(reply.status, 200);
    const e = await theEvent('ITI-18', { atc: 'ATC_DOC_SEARCH', action: 'E', outcome: '0' });
    assert.ok(JSON.stringify(e.resource).includes(StoredQueryId.FindDocuments));
  });

  it('ITI-51: the multi-patient query event, with its own subtype', async () => {
    await provided();
    const reply = await storedQuery(
      ctx.baseUrl,
      StoredQueryId.FindDocumentsForMultiplePatients,
      'ObjectRef',
      [slot('$XDSDocumentEntryStatus', quoted('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')), slot('$XDSDocumentEntryClassCode', quoted('18842-5^^2.16.840.1.113883.6.1'))],
      'ITI-51',
    );
    assert.equal(reply.status, 200);
    const e = await theEvent('ITI-51', { atc: 'ATC_DOC_SEARCH', action: 'E', outcome: '0' }, null); // no single patient
    assert.ok(JSON.stringify(e.resource).includes(StoredQueryId.FindDocumentsForMultiplePatients));
  });

  it('ITI-43 with one unknown document: a minor failure naming the found document', async () => {
    const doc = await provided();
    const repository = ctx.gw.config.repositoryUniqueId;
    const unknown = oid();
    const reply = await sendFixture(ctx.baseUrl, 'repository', 'iti43-retrieve-many.xml', {
      DOCUMENT_REQUESTS: documentRequests([{ repositoryUniqueId: repository, documentUniqueId: doc.docUid }, { repositoryUniqueId: repository, documentUniqueId: unknown }]),
    });
    assert.equal(reply.status, 200);
    const e = await theEvent('ITI-43', { atc: 'ATC_DOC_READ', action: 'R', outcome: '4' });
    assert.ok(entityValues(e).includes(doc.docUid));
    assert.match(e.resource.outcomeDesc ?? '', /XDSDocumentUniqueIdError/);
  });

  it('ITI-57: the update event', async () => {
    const doc = await provided();
    const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti57-deprecate.xml', { PATIENT: patient, SS_UID: oid(), TARGET: doc.entryUuid }));
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    await theEvent('ITI-57', { atc: 'ATC_DOC_UPDATE', action: 'U', outcome: '0' });
  });

  it('ITI-62: the deletion event', async () => {
    const doc = await provided();
    const q = await ctx.gw.registry.query(validateStoredQuery({ queryId: StoredQueryId.GetSubmissionSets, returnType: 'LeafClass', params: { $uuid: [[doc.entryUuid]] } }), SYSTEM_PRINCIPAL);
    const ids = [q.objects.find((o) => o.kind === 'SubmissionSet')!.entryUuid, doc.entryUuid, q.objects.find((o) => o.kind === 'Association')!.entryUuid];
    const r = registryResult(await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: xml(ids.map((id) => `<rim:ObjectRef id="${id}"/>`).join('')) }));
    assert.equal(r.status, 'Success', JSON.stringify(r.errors));
    await theEvent('ITI-62', { atc: 'ATC_DOC_DELETE', action: 'D', outcome: '0' });
  });

  it('ITI-86: the removal event, a minor failure when one document is unknown', async () => {
    const doc = await provided();
    const repository = ctx.gw.config.repositoryUniqueId;
    const reply = await sendFixture(ctx.baseUrl, 'repository', 'iti86-remove-documents.xml', { REPOSITORY_1: repository, DOC_UID_1: doc.docUid, REPOSITORY_2: repository, DOC_UID_2: oid() });
    assert.equal(registryResult(reply).status, 'PartialSuccess');
    const e = await theEvent('ITI-86', { atc: 'ATC_DOC_DELETE', action: 'D', outcome: '4' });
    assert.ok(entityValues(e).includes(doc.docUid));
  });

  it('a SOAP fault (malformed ITI-62) is audited as a failure without a patient', async () => {
    const marker = `no rim:ObjectRef`;
    const before = await ctx.gw.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE resource->>'outcomeDesc' LIKE '%' || $1 || '%'`, [marker]);
    const reply = await sendFixture(ctx.baseUrl, 'registry', 'iti62-delete-document-set.xml', { OBJECT_REFS: xml('') });
    assert.equal(reply.status, 400);
    const after = await ctx.gw.db.query<EventRow>(`SELECT patient_id, subtypes, action, outcome, resource FROM audit_events WHERE resource->>'outcomeDesc' LIKE '%' || $1 || '%'`, [marker]);
    assert.equal(after.rows.length, before.rows[0]!.n + 1);
    const e = after.rows.at(-1)!;
    assert.ok(e.subtypes.includes('ITI-62'));
    assert.equal(e.outcome, '4');
    assert.equal(e.patient_id, null);
  });
});
