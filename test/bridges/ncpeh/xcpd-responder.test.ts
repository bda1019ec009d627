// XCPD ITI-55 against the whole gateway over HTTP, both stores: a foreign NCP (DK, its signing
// certificate in NCPEH_TRUSTED_CERTS) asks with its HCP identity assertion, through the
// outbound XCPD client, for a Czech patient fed over ITI-104; the answer carries the patient's
// ids and demographics, or NF when the traits disagree or nobody matches; an assertion from
// outside the trust list is a WS-Security fault; each answered request is audited as ITI-55
// with the requesting country and the professional.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createXcpdClient, type XcpdClient } from '../../../src/bridges/ncpeh/xcpd/client';
import type { Party } from '../../../src/bridges/ncpeh/xcpd/model';
import { exchange, NcpCallError, type HttpPost } from '../../../src/bridges/ncpeh/soap-exchange';
import { writeQuery } from '../../../src/bridges/ncpeh/xcpd/query-message';
import { readResponse } from '../../../src/bridges/ncpeh/xcpd/response-message';
import { createEhdsiIssuer, type EhdsiAssertionIssuer } from '../../../src/security/ehdsi';
import { signingKey } from '../../../src/security/saml';
import { XCA_PATHS } from '../../../src/xca/routes';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { DANISH_DOCTOR, testNcp, type TestNcp } from '../../security/support/ehdsi-parties';
import { ncpCertificate, type NcpCertificate } from '../../security/support/ncp-certificates';
import { postRaw } from '../../xds/support/soap-client';

const RID = 'https://ncez.mzcr.cz/fhir/sid/rid';
const DK_GATEWAY: Party = { deviceId: '1.2.208.176.7.1', communityId: '1.2.208' };

const DOCTOR = DANISH_DOCTOR;

/** A valid RID (10 digits, divisible by 13), unique enough per run. */
function newRid(): string {
  return String(13 * randomInt(76_923_077, 769_230_769));
}

const post: HttpPost = (url, body, headers) => postRaw(url, body, headers['content-type']!, undefined, headers);

describe('XCPD ITI-55 Responding Gateway and client (eHDSI)', function () {
  let dk: TestNcp;
  let intruder: NcpCertificate;
  let dkIssuer: EhdsiAssertionIssuer;

  before(async () => {
    [dk, intruder] = await Promise.all([testNcp('DK', 'urn:oid:1.2.208'), ncpCertificate('DK', 'intruder.test')]);
    dkIssuer = dk.issuer;
  });
  after(async () => {
    await dk?.cleanup();
  });

  describeEachStoreOverHttp(
    'over HTTP',
    (ctx) => {
      let client: XcpdClient;
      let rid: string;
      let authority: string;
      let url: string;
      let target: { url: string; party: Party };

      before(async () => {
        authority = ctx.gw.config.patientIdAuthority;
        url = `${ctx.baseUrl}${XCA_PATHS.respondingGateway}`;
        const home = ctx.gw.config.homeCommunityId.replace(/^urn:oid:/, '');
        target = { url, party: { deviceId: home, communityId: home } };
        client = createXcpdClient({ post, self: DK_GATEWAY });
        rid = newRid();
        const patient = {
          resourceType: 'Patient',
          identifier: [{ system: RID, value: rid }],
          name: [{ use: 'official', family: 'Nováková', given: ['Jana'] }],
          gender: 'female',
          birthDate: '1976-08-13',
          address: [{ use: 'home', line: ['Vinohradská 12'], city: 'Praha', postalCode: '12000', country: 'CZ' }],
        };
        const res = await fetch(`${ctx.fhir}/Patient?identifier=${encodeURIComponent(`${RID}|${rid}`)}`, { method: 'PUT', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(patient) });
        assert.equal(res.status, 201, await res.text());
      });

      const hcpHeader = (issuer = dkIssuer) => issuer.securityHeader(issuer.hcpAssertion(DOCTOR).xml);

      async function auditRecords(): Promise<Array<{ outcome: string; resource: Record<string, unknown> }>> {
        const r = await ctx.gw.db.query<{ outcome: string; resource: Record<string, unknown> }>(
          `SELECT outcome, resource FROM audit_events WHERE $1 = ANY(subtypes) ORDER BY recorded DESC`,
          ['urn:ihe:event-type-code|ITI-55'],
        );
        return r.rows;
      }

      it('finds the patient by RID with matching traits: ids and the demographics eHDSI needs; audited with country and HCP', async () => {
        const before = (await auditRecords()).length;
        const answer = await client(target, { identifiers: [{ root: authority, extension: rid }], demographics: { given: ['Jana'], family: 'Nováková', gender: 'F', birthDate: '1976-08-13' } }, hcpHeader());
        assert.equal(answer.code, 'OK');
        assert.equal(answer.patients.length, 1);
        assert.deepEqual(answer.patients[0]!.identifiers, [{ root: authority, extension: rid }]);
        assert.deepEqual(answer.patients[0]!.demographics, {
          given: ['Jana'],
          family: 'Nováková',
          gender: 'F',
          birthDate: '1976-08-13',
          address: { streetAddressLine: 'Vinohradská 12', city: 'Praha', postalCode: '12000', country: 'CZ' },
        });
        const records = await auditRecords();
        assert.equal(records.length, before + 1);
        const text = JSON.stringify(records[0]!.resource);
        assert.equal(records[0]!.outcome, '0');
        const agents = (records[0]!.resource.agent as Array<{ who?: { identifier?: { system?: string; value?: string } } }>).map((a) => a.who?.identifier);
        assert.ok(agents.some((i) => i?.system === 'urn:iso:std:iso:3166' && i.value === 'DK'), text);
        assert.match(text, /house@ehdsi\.dk\.test/);
        assert.match(text, new RegExp(rid));
      });

      it('answers NF when the birth date disagrees, and when no patient has the identifier', async () => {
        const wrongBirth = await client(target, { identifiers: [{ root: authority, extension: rid }], demographics: { birthDate: '1980-01-01' } }, hcpHeader());
        assert.equal(wrongBirth.code, 'NF');
        assert.deepEqual(wrongBirth.patients, []);
        const unknown = await client(target, { identifiers: [{ root: authority, extension: newRid() }], demographics: {} }, hcpHeader());
        assert.equal(unknown.code, 'NF');
      });

      it('answers a query without a patient identifier with AE / QE, not a SOAP fault', async () => {
        const noId = dkIssuer.securityHeader(dkIssuer.hcpAssertion(DOCTOR).xml);
        // The client refuses to send one; the raw exchange shows the responder's answer.
        const body = writeQuery({ messageId: { root: '1.2.208', extension: 'm' }, queryId: { root: '1.2.208', extension: 'q' }, sender: DK_GATEWAY, receiver: target.party, identifiers: [], demographics: { family: 'Nováková' } }, new Date());
        const answer = await exchange(post, { url, action: 'urn:hl7-org:v3:PRPA_IN201305UV02:CrossGatewayPatientDiscovery', securityHeader: noId, body, expected: { ns: 'urn:hl7-org:v3', local: 'PRPA_IN201306UV02' } }, readResponse);
        assert.equal(answer.code, 'QE');
        assert.equal(answer.error?.code, 'AnswerNotAvailable');
      });

      it('refuses an HCP assertion signed outside the trust list with a wsse:FailedAuthentication fault', async () => {
        const forger = createEhdsiIssuer({ key: signingKey(intruder.certificatePem, intruder.privateKeyPem), country: 'DK', homeCommunityId: 'urn:oid:1.2.208' });
        await assert.rejects(
          client(target, { identifiers: [{ root: authority, extension: rid }], demographics: {} }, hcpHeader(forger)),
          (err: unknown) => err instanceof NcpCallError && /SOAP fault Sender \(FailedAuthentication\)/.test(err.message),
        );
      });
    },
    () => ({ NCPEH_TRUSTED_CERTS: dk.certFile }),
  );
});
