// A foreign NCP (DK) asking about a Czech patient over the Responding Gateway and the XDR
// recipient, both stores: ITI-38 for the Patient Summary (LOINC 60591-5) and ITI-39 for its
// bytes with HCP + TRC assertions; XDR ITI-41 of an eDispensation (60593-1) registered and then
// found over MHD. Requests without a TRC, with a TRC for another patient or an expired pair are
// refused with the WS-Security fault, and nothing is stored for a refused XDR.
import assert from 'node:assert/strict';
import type { EhdsiAssertionIssuer } from '../../../src/security/ehdsi';
import { childNamed, childrenNamed } from '../../../src/soap';
import { XDS_NS } from '../../../src/xds/namespaces';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { describeEachStoreOverHttp, storedCounts } from '../../support/http-gateway';
import { DANISH_DOCTOR, testNcp, type TestNcp } from '../../security/support/ehdsi-parties';
import { newPatient, quoted, registered, singleSubmission, slot, XDS_TRANSACTIONS } from '../../xds/support/messages';
import { faultOf, queryObjects, registryResult } from '../../xds/support/responses';
import { readAll, sendSoap } from '../../xds/support/soap-client';
import { crossGatewayQuery, crossGatewayRetrieve } from '../../xca/support';

const DOCTOR = DANISH_DOCTOR;
const PATIENT_SUMMARY = '60591-5';
const EDISPENSATION = '60593-1';

/** eHDSI format codes (coding scheme "eHDSI formatCodes"): the eDispensation and its discard. */
const FORMAT = { eDispensation: 'urn:epsos:ep:dis:2010', discard: 'urn:eHDSI:ed:discard:2020', patientSummary: 'urn:epsos:ps:2010' };

/** The fixture's discharge summary re-classified (class and type) as the eHDSI document `loinc`, with its eHDSI format code. */
function classifiedAs(envelope: string, loinc: string, format: string): string {
  return envelope
    .replace(/(id="cl-doc-(?:class|type)"[^>]*nodeRepresentation=")[^"]*"/g, `$1${loinc}"`)
    .replace(/(id="cl-doc-format"[^>]*nodeRepresentation=")[^"]*(">\s*<rim:Slot name="codingScheme"><rim:ValueList><rim:Value>)[^<]*/, `$1${format}$2eHDSI formatCodes`);
}

describe('eHDSI inbound: a foreign NCP\'s XCA and XDR requests', function () {
  let dk: TestNcp;
  let issuer: EhdsiAssertionIssuer;

  before(async () => {
    dk = await testNcp('DK', 'urn:oid:1.2.208');
    issuer = dk.issuer;
  });
  after(async () => {
    await dk?.cleanup();
  });

  /** wsse:Security with the HCP assertion and, unless `trcFor` is null, a TRC for that patient. */
  function security(trcFor: string | null, from = issuer): string {
    const hcp = from.hcpAssertion(DOCTOR);
    return trcFor === null ? from.securityHeader(hcp.xml) : from.securityHeader(hcp.xml, from.trcAssertion(hcp, trcFor).xml);
  }

  describeEachStoreOverHttp(
    'over HTTP',
    (ctx) => {
      let home: string;
      let patient: string;
      let other: string;
      let summary: { uid: string; content: Buffer };

      before(async () => {
        home = ctx.gw.config.homeCommunityId;
        patient = await newPatient(ctx.gw);
        other = await newPatient(ctx.gw);
        const { envelope, attachments, submitted } = singleSubmission({ patient, content: Buffer.from('Patient Summary: allergies none; medication none') }, `${ctx.baseUrl}/xds/repository`);
        const reply = await sendSoap(`${ctx.baseUrl}/xds/repository`, classifiedAs(envelope, PATIENT_SUMMARY, FORMAT.patientSummary), { attachments });
        assert.equal(registryResult(reply).status, 'Success');
        summary = { uid: submitted.docUid, content: submitted.content };
      });

      const findSummary = (forPatient: string, soapHeaders: string) =>
        crossGatewayQuery(ctx.baseUrl, home, StoredQueryId.FindDocuments, 'LeafClass', [
          slot('$XDSDocumentEntryPatientId', quoted(forPatient)),
          slot('$XDSDocumentEntryStatus', quoted('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')),
          slot('$XDSDocumentEntryClassCode', quoted(`${PATIENT_SUMMARY}^^2.16.840.1.113883.6.1`)),
        ], { soapHeaders });

      async function countryAudits(transaction: string): Promise<number> {
        const r = await ctx.gw.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_events WHERE $1 = ANY(subtypes) AND outcome = '0' AND resource::text LIKE '%urn:iso:std:iso:3166%'`,
          [`urn:ihe:event-type-code|${transaction}`],
        );
        return r.rows[0]!.n;
      }

      it('ITI-38 with HCP + TRC finds the Patient Summary; audited with the country', async () => {
        const before = await countryAudits('ITI-38');
        const reply = await findSummary(patient, security(patient));
        const objects = queryObjects(reply);
        assert.equal(objects.length, 1);
        assert.equal(await countryAudits('ITI-38'), before + 1);
      });

      it('ITI-39 with HCP + TRC returns the Patient Summary\'s bytes', async () => {
        const reply = await crossGatewayRetrieve(ctx.baseUrl, [{ homeCommunityId: home, repositoryUniqueId: ctx.gw.config.repositoryUniqueId, documentUniqueId: summary.uid }], { soapHeaders: security(patient) });
        try {
          assert.equal(registryResult(reply, XDS_TRANSACTIONS.crossGatewayRetrieve.response).status, 'Success');
          const responses = childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse');
          assert.equal(responses.length, 1);
          assert.deepEqual(await readAll(reply.message.binary(childNamed(responses[0]!, XDS_NS.xdsb, 'Document')!).open()), summary.content);
        } finally {
          await reply.message.dispose();
        }
      });

      it('refuses ITI-38 without a TRC (InvalidSecurity), with a TRC for another patient and with an expired pair (FailedAuthentication)', async () => {
        assert.equal(faultOf(await findSummary(patient, security(null))).subcodes[0]?.local, 'InvalidSecurity');
        assert.equal(faultOf(await findSummary(patient, security(other))).subcodes[0]?.local, 'FailedAuthentication');
        const stale = dk.issuerAt(() => new Date(Date.now() - 5 * 3600_000));
        assert.equal(faultOf(await findSummary(patient, security(patient, stale))).subcodes[0]?.local, 'FailedAuthentication');
      });

      it('ITI-39 under a TRC for another patient does not return the document', async () => {
        const reply = await crossGatewayRetrieve(ctx.baseUrl, [{ homeCommunityId: home, repositoryUniqueId: ctx.gw.config.repositoryUniqueId, documentUniqueId: summary.uid }], { soapHeaders: security(other) });
        try {
          assert.equal(childrenNamed(reply.payload, XDS_NS.xdsb, 'DocumentResponse').length, 0);
          assert.notEqual(registryResult(reply, XDS_TRANSACTIONS.crossGatewayRetrieve.response).status, 'Success');
        } finally {
          await reply.message.dispose();
        }
      });

      it('XDR ITI-41 of an eDispensation is registered and found over MHD, its discard registered; one for another patient than the TRC\'s stores nothing', async () => {
        const url = `${ctx.baseUrl}/xds/repository`;
        const dispensation = singleSubmission({ patient, content: Buffer.from('eDispensation: 1x Paralen 500 mg') }, url);
        const ok = await sendSoap(url, classifiedAs(dispensation.envelope, EDISPENSATION, FORMAT.eDispensation), { attachments: dispensation.attachments, soapHeaders: security(patient) });
        assert.equal(registryResult(ok).status, 'Success');
        const [system, value] = [`urn:oid:${patient.split('&')[1]}`, patient.split('^')[0]!];
        const bundle = (await (await fetch(`${ctx.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${system}|${value}`)}&status=current`)).json()) as { entry?: Array<{ resource: { masterIdentifier?: { value?: string }; category?: Array<{ coding?: Array<{ code?: string }> }> } }> };
        const found = (bundle.entry ?? []).find((e) => e.resource.masterIdentifier?.value === `urn:oid:${dispensation.submitted.docUid}`);
        assert.ok(found, JSON.stringify(bundle).slice(0, 500));
        assert.equal(found.resource.category?.[0]?.coding?.[0]?.code, EDISPENSATION);

        // Its discard: the same class, eHDSI's discard format code, accepted and registered too.
        const discard = singleSubmission({ patient, content: Buffer.from('eDispensation discard') }, url);
        const discarded = await sendSoap(url, classifiedAs(discard.envelope, EDISPENSATION, FORMAT.discard), { attachments: discard.attachments, soapHeaders: security(patient) });
        assert.equal(registryResult(discarded).status, 'Success');
        const registeredDiscard = (await registered(ctx.gw, discard.submitted.docUid)) as { formatCode?: { code: string; scheme: string } };
        assert.deepEqual([registeredDiscard.formatCode?.code, registeredDiscard.formatCode?.scheme], [FORMAT.discard, 'eHDSI formatCodes']);

        const counts = await storedCounts(ctx);
        const elsewhere = singleSubmission({ patient: other }, url);
        const refused = await sendSoap(url, classifiedAs(elsewhere.envelope, EDISPENSATION, FORMAT.eDispensation), { attachments: elsewhere.attachments, soapHeaders: security(patient) });
        assert.equal(faultOf(refused).subcodes[0]?.local, 'FailedAuthentication');
        assert.deepEqual(await storedCounts(ctx), counts);
      });
    },
    () => ({ NCPEH_TRUSTED_CERTS: dk.certFile }),
  );
});
