// XUA end to end: SOAP messages to the whole gateway (AUTH=on, one trusted test IdP) carry
// SAML assertions signed with keys generated at test time.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { StoredQueryId } from '../../../src/domain/stored-query-catalog';
import { crossGatewayQuery } from '../../xca/support';
import { newPatient, quoted, slot } from '../../xds/support/messages';
import { createSamlIdp, DEFAULT_XUA_ATTRIBUTES, securityHeader, TEST_AUDIENCE, type AssertionOptions, type SamlIdp } from '../support/saml-idp';
import { APPROVED, errorCodes, findDocuments, publish, queryObjects, registryResult, retrieve, securityFaultCode, type Published } from './support';

describe('security: XUA assertions over SOAP', function () {
  this.timeout(60_000);
  let idp: SamlIdp;
  let unknownIdp: SamlIdp;
  let dir: string;
  let trustFile: string;
  before(async () => {
    idp = await createSamlIdp();
    unknownIdp = await createSamlIdp();
    dir = await mkdtemp(path.join(os.tmpdir(), 'xua-trust-'));
    trustFile = path.join(dir, 'idp.pem');
    await writeFile(trustFile, idp.certificatePem);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describeEachStoreOverHttp('XUA', (ctx) => {
    const xua = (options: AssertionOptions = {}) => ({ soapHeaders: securityHeader(idp.signedAssertion({ audiences: [TEST_AUDIENCE], ...options })) });
    let a: Published;
    let b: Published;
    before(async () => {
      a = await publish(ctx.baseUrl, await newPatient(ctx.gw), xua());
      b = await publish(ctx.baseUrl, await newPatient(ctx.gw), xua());
    });

    it('serves a message with a valid assertion, and audits it under the assertion\'s user', async () => {
      const reply = await findDocuments(ctx.baseUrl, a.patient, xua({ subject: 'kolar@nemocnice-test.cz' }));
      assert.equal(queryObjects(reply).length, 1);
      // FHIR would need credentials of its own (no token issuer here): the trail is read from the store.
      const rows = await ctx.gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE resource::text LIKE '%kolar@nemocnice-test.cz%' AND resource::text LIKE '%ITI-18%'`);
      assert.equal(Number(rows.rows[0]!.n), 1);
    });

    it('refuses a message without an assertion with wsse:InvalidSecurity', async () => {
      const reply = await findDocuments(ctx.baseUrl, a.patient);
      assert.equal(reply.status, 400);
      assert.equal(securityFaultCode(reply), 'InvalidSecurity');
    });

    it('XCA (ITI-38): refuses an inbound request without an assertion; audits one with an assertion under its remote community', async () => {
      const ask = (opts = {}) => crossGatewayQuery(ctx.baseUrl, ctx.gw.config.homeCommunityId, StoredQueryId.FindDocuments, 'LeafClass', [slot('$XDSDocumentEntryPatientId', quoted(a.patient)), slot('$XDSDocumentEntryStatus', quoted(APPROVED))], opts);
      const anonymous = await ask();
      assert.equal(anonymous.status, 400);
      assert.equal(securityFaultCode(anonymous), 'InvalidSecurity');
      const community = 'urn:oid:1.2.203.999.38';
      const reply = await ask(xua({ subject: 'remote-ig@komunita-test.cz', attributes: { ...DEFAULT_XUA_ATTRIBUTES, homeCommunityId: community } }));
      assert.equal(queryObjects(reply).length, 1);
      const rows = await ctx.gw.db.query<{ resource: { agent: Array<{ who?: { identifier?: { value?: string } } }> } }>(`SELECT resource FROM audit_events WHERE resource::text LIKE '%remote-ig@komunita-test.cz%' AND 'ITI-38' = ANY(subtypes)`);
      assert.equal(rows.rows.length, 1);
      assert.ok(rows.rows[0]!.resource.agent.some((agent) => agent.who?.identifier?.value === community), 'the remote community is a participant');
    });

    it('refuses expired, wrong-audience, unsigned, unknown-key and tampered assertions with wsse:FailedAuthentication and nothing more', async () => {
      const hour = 3600_000;
      const unsigned = idp.assertion({ audiences: [TEST_AUDIENCE] });
      const signed = idp.signedAssertion({ audiences: [TEST_AUDIENCE], subject: 'honest@nemocnice-test.cz' });
      const variants: Record<string, string> = {
        expired: idp.signedAssertion({ audiences: [TEST_AUDIENCE], issueInstant: new Date(Date.now() - 3 * hour), notBefore: new Date(Date.now() - 3 * hour), notOnOrAfter: new Date(Date.now() - 2 * hour), confirmationNotOnOrAfter: null }),
        wrongAudience: idp.signedAssertion({ audiences: ['urn:another-gateway'] }),
        unsigned,
        unknownKey: unknownIdp.signedAssertion({ audiences: [TEST_AUDIENCE], issuer: idp.issuer }),
        tampered: signed.replace('honest@nemocnice-test.cz', 'admin@nemocnice-test.cz'),
      };
      for (const [name, assertion] of Object.entries(variants)) {
        const reply = await findDocuments(ctx.baseUrl, a.patient, { soapHeaders: securityHeader(assertion) });
        assert.equal(reply.status, 400, name);
        assert.equal(securityFaultCode(reply), 'FailedAuthentication', name);
        const reason = (reply.payload.textContent ?? '').replace(/\s+/g, ' ');
        assert.ok(!/expired|audience|signature|trusted/i.test(reason), `${name}: the fault says why: ${reason}`);
      }
      const refused = await ctx.gw.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE resource::text LIKE '%110114%' AND resource::text LIKE '%saml:%'`);
      assert.ok(Number(refused.rows[0]!.n) >= Object.keys(variants).length, 'each refused assertion is audited');
    });

    it('refuses a wrapped assertion: an unsigned copy in the header, the signed one moved into the body', async () => {
      const genuine = idp.signedAssertion({ audiences: [TEST_AUDIENCE], subject: 'victim@nemocnice-test.cz' });
      const forged = genuine.replace('victim@nemocnice-test.cz', 'attacker@elsewhere.example').replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
      const reply = await findDocuments(ctx.baseUrl, a.patient, { soapHeaders: securityHeader(forged) + `<x:Stash xmlns:x="urn:x">${genuine}</x:Stash>` });
      assert.equal(securityFaultCode(reply), 'FailedAuthentication');
    });

    it('limits an assertion with a resource-id to that patient: ITI-18 and ITI-43', async () => {
      const forA = xua({ attributes: { resourceId: a.patient } });
      assert.equal(queryObjects(await findDocuments(ctx.baseUrl, a.patient, forA)).length, 1);
      assert.equal(queryObjects(await findDocuments(ctx.baseUrl, b.patient, forA)).length, 0);
      const denied = registryResult(await retrieve(ctx.baseUrl, ctx.gw.config.repositoryUniqueId, b.docUid, forA));
      assert.deepEqual(errorCodes(denied), ['XDSDocumentUniqueIdError']);
      assert.equal(registryResult(await retrieve(ctx.baseUrl, ctx.gw.config.repositoryUniqueId, a.docUid, forA)).status, 'Success');
    });

    it('refuses an emergency purpose of use where EMERGENCY_ACCESS is not allowed', async () => {
      const reply = await findDocuments(ctx.baseUrl, a.patient, xua({ attributes: { purposeOfUse: [{ code: 'EMERGENCY', codeSystem: '2.16.840.1.113883.3.18.7.1' }] } }));
      assert.equal(securityFaultCode(reply), 'FailedAuthentication');
    });
  }, () => ({ AUTH: 'on', XUA_TRUSTED_CERTS: trustFile, XUA_AUDIENCE: TEST_AUDIENCE }));

  describeEachStoreOverHttp('XUA with EMERGENCY_ACCESS=allow', (ctx) => {
    it('serves an emergency access and marks it EMER in the audit record, for the patient to see', async () => {
      const patient = await newPatient(ctx.gw);
      const emergency = { soapHeaders: securityHeader(idp.signedAssertion({ audiences: [TEST_AUDIENCE], subject: 'zachranka@nemocnice-test.cz', attributes: { purposeOfUse: [{ code: 'EMERGENCY', codeSystem: '2.16.840.1.113883.3.18.7.1' }] } })) };
      const reply = await findDocuments(ctx.baseUrl, patient, emergency);
      assert.equal(registryResult(reply).status, 'Success');
      const rows = await ctx.gw.db.query<{ resource: string }>(`SELECT resource::text AS resource FROM audit_events WHERE resource::text LIKE '%zachranka@nemocnice-test.cz%'`);
      assert.equal(rows.rows.length, 1);
      const event = JSON.parse(rows.rows[0]!.resource) as { purposeOfEvent: { coding: { code: string }[] }[] };
      assert.deepEqual(event.purposeOfEvent.map((p) => p.coding[0]!.code), ['EMERGENCY', 'EMER']);
    });
  }, () => ({ AUTH: 'on', XUA_TRUSTED_CERTS: trustFile, XUA_AUDIENCE: TEST_AUDIENCE, EMERGENCY_ACCESS: 'allow' }));
});
