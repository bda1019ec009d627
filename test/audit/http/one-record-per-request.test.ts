// Every request of an audited transaction leaves exactly one record of its own, on both
// stores: an identical resubmission (ITI-65 and ITI-41) as much as the first submission,
// and a refused request of each transaction its failure record. The transactions are the
// descriptors' (src/transactions): a new audited transaction needs a refusal case here.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { XCA_PATHS } from '../../../src/xca/routes';
import { XDS_PATHS } from '../../../src/xds/routes';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { feedPatient, freshBundle, request } from '../../fhir/http/support';
import { fhirTransactions, soapTransactions } from '../../../src/transactions';
import { transactionCoding, type AuditTransaction } from '../../../src/audit/transactions';
import { newPatient, singleSubmission } from '../../xds/support/messages';
import { registryResult } from '../../xds/support/responses';
import { sendSoap } from '../../xds/support/soap-client';


/** An envelope with the transaction's action and a body no handler can read: a Sender fault. */
function unreadable(action: string, to: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <env:Header>
    <wsa:Action env:mustUnderstand="true">${action}</wsa:Action>
    <wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>
    <wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>
    <wsa:To env:mustUnderstand="true">${to}</wsa:To>
  </env:Header>
  <env:Body><x:NotThisTransaction xmlns:x="urn:example:test"/></env:Body>
</env:Envelope>`;
}

describeEachStoreOverHttp('audit: one record per request, success or failure', (ctx) => {
  /** Records of a transaction, by outcome: successes ('0') and failures (anything else). */
  async function records(transaction: string): Promise<{ success: number; failure: number }> {
    const r = await ctx.gw.db.query<{ success: number; failure: number }>(
      `SELECT count(*) FILTER (WHERE outcome = '0')::int AS success, count(*) FILTER (WHERE outcome <> '0')::int AS failure
         FROM audit_events WHERE $1 = ANY(subtypes)`,
      [`${transactionCoding(transaction as AuditTransaction).system}|${transaction}`],
    );
    return r.rows[0]!;
  }

  /** What `act` added to the transaction's records. */
  async function added(transaction: string, act: () => Promise<unknown>): Promise<{ success: number; failure: number }> {
    const before = await records(transaction);
    await act();
    const after = await records(transaction);
    return { success: after.success - before.success, failure: after.failure - before.failure };
  }

  it('ITI-65: the same Bundle posted twice leaves one record per request', async () => {
    assert.ok([200, 201].includes((await feedPatient(ctx.fhir)).status));
    const bundle = freshBundle('minimal-bundle.json');
    for (const attempt of ['first', 'identical resubmission']) {
      const delta = await added('ITI-65', async () => {
        const reply = await request(ctx.fhir, { method: 'POST', json: bundle });
        assert.equal(reply.status, 200, `${attempt}: ${reply.text}`);
      });
      assert.deepEqual(delta, { success: 1, failure: 0 }, attempt);
    }
  });

  it('ITI-41: the same message sent twice leaves one record per request', async () => {
    const url = `${ctx.baseUrl}/xds/repository`;
    const { envelope, attachments } = singleSubmission({ patient: await newPatient(ctx.gw) }, url);
    for (const attempt of ['first', 'identical resubmission']) {
      const delta = await added('ITI-41', async () => {
        const reply = await sendSoap(url, envelope, { attachments });
        assert.equal(registryResult(reply).status, 'Success', attempt);
      });
      assert.deepEqual(delta, { success: 1, failure: 0 }, attempt);
    }
  });

  describe('a refused request of every transaction leaves its failure record', () => {
    /** How to make a request of each audited FHIR transaction fail. */
    const refusals: Record<string, [string, () => Promise<{ status: number }>]> = {
      'ITI-65': ['a Patient posted as a Bundle', () => request(ctx.fhir, { method: 'POST', json: { resourceType: 'Patient' } })],
      'ITI-66': ['an unknown search parameter', () => request(`${ctx.fhir}/List?no-such-parameter=1`)],
      'ITI-67': ['an unknown search parameter', () => request(`${ctx.fhir}/DocumentReference?no-such-parameter=1`)],
      'ITI-68': ['an unknown document', () => request(`${ctx.fhir}/Binary/2.25.${Date.now()}`)],
      'ITI-81': ['a malformed date', () => request(`${ctx.fhir}/AuditEvent?date=not-a-date`)],
      'ITI-104': ['no identifier', () => request(`${ctx.fhir}/Patient`, { method: 'PUT', json: { resourceType: 'Patient' } })],
      'ITI-110': ['an unknown topic', () => request(`${ctx.fhir}/Subscription`, { method: 'POST', json: { resourceType: 'Subscription', criteria: 'http://example.org/no-such-topic', channel: { type: 'rest-hook' } } })],
      'ITI-113': ['an unknown subscription', () => request(`${ctx.fhir}/Subscription/no-such-subscription`)],
      'ITI-114': ['an unknown subscription', () => request(`${ctx.fhir}/Subscription/no-such-subscription/$status`)],
      // The eRecept bridge is not configured in this suite: its routes answer 501.
      'ERP-PRESCRIBE': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationRequest`, { method: 'POST', json: { resourceType: 'MedicationRequest' } })],
      'ERP-READ': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationRequest/AAAAAAAAAAAA`)],
      'ERP-SEARCH': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationRequest?status=active`)],
      'ERP-CHANGE': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationRequest/AAAAAAAAAAAA`, { method: 'PUT', json: { resourceType: 'MedicationRequest' } })],
      'ERP-CANCEL': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationRequest/AAAAAAAAAAAA/$cancel`, { method: 'POST' })],
      'ERP-DISPENSE': ['eRecept not configured', () => request(`${ctx.fhir}/MedicationDispense`, { method: 'POST', json: { resourceType: 'MedicationDispense' } })],
      'NCP-IDENTIFY': ['NCPeH outbound not configured', () => request(`${ctx.fhir}/Patient/$ncp-identify`, { method: 'POST', json: { resourceType: 'Parameters', parameter: [{ name: 'country', valueCode: 'AT' }] } })],
    };
    for (const descriptor of fhirTransactions().filter((d) => d.audit !== undefined)) {
      const [how, act] = refusals[descriptor.id] ?? ['(no refusal case)', undefined];
      it(`${descriptor.id} (MHD): ${how}`, async () => {
        assert.ok(act, `add a refusal case for ${descriptor.id} to this test`);
        const delta = await added(descriptor.id, async () => {
          const reply = await act();
          assert.ok(reply.status >= 400, `${descriptor.id} answered ${reply.status}`);
        });
        assert.deepEqual(delta, { success: 0, failure: 1 });
      });
    }

    const pathOf = { registry: XDS_PATHS.registry, repository: XDS_PATHS.repository, 'responding-gateway': XCA_PATHS.respondingGateway, 'initiating-gateway': XCA_PATHS.initiatingGateway } as const;
    for (const { id, soap } of soapTransactions()) {
      it(`${id} (${pathOf[soap.endpoint]}): a body it cannot read`, async () => {
        const url = `${ctx.baseUrl}${pathOf[soap.endpoint]}`;
        const delta = await added(id, async () => {
          const reply = await sendSoap(url, unreadable(soap.request, url));
          if (id === 'ITI-55') {
            // XCPD answers a message it cannot read at the HL7 v3 level (ITI TF-2b 3.55.4.2.3): 200 with an AE acknowledgement.
            assert.equal(reply.status, 200);
            const ack = reply.payload.getElementsByTagNameNS('urn:hl7-org:v3', 'acknowledgement')[0];
            assert.equal(ack?.getElementsByTagNameNS('urn:hl7-org:v3', 'typeCode')[0]?.getAttribute('code'), 'AE');
            return;
          }
          assert.ok(reply.status >= 400, `${id} answered ${reply.status}`);
        });
        assert.deepEqual(delta, { success: 0, failure: 1 });
      });
    }
  });
});
