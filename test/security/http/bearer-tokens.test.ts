// Bearer tokens end to end: a real OpenID provider (oidc-provider) issues client-credentials
// tokens, the whole gateway (AUTH=on) verifies them on FHIR and SOAP requests alike.
import assert from 'node:assert/strict';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { request, RID_SYSTEM } from '../../fhir/http/support';
import { newPatient, provideSingle, registered } from '../../xds/support/messages';
import { bearer, errorCodes, findDocuments, publish, queryObjects, registryResult, retrieve, searchDocuments, securityFaultCode, type Published } from './support';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const today = () => new Date().toISOString().slice(0, 10);

describe('security: bearer tokens over HTTP (oidc-provider)', function () {
  this.timeout(60_000);
  let idp: TestOidcProvider;
  let stranger: TestOidcProvider;
  before(async () => {
    idp = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
    stranger = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
  });
  after(async () => {
    await idp?.close();
    await stranger?.close();
  });

  describeEachStoreOverHttp('bearer tokens', (ctx) => {
    let system: string;
    let a: Published;
    let b: Published;
    let patientToken: string;
    const repositoryId = () => ctx.gw.config.repositoryUniqueId;

    before(async () => {
      system = await idp.token({ scope: 'system/*.cruds' });
      a = await publish(ctx.baseUrl, await newPatient(ctx.gw), { headers: bearer(system) });
      b = await publish(ctx.baseUrl, await newPatient(ctx.gw), { headers: bearer(system) });
      patientToken = await idp.token({ clientId: idp.clients.patientApp.clientId, scope: 'patient/*.rs', patient: a.patient });
    });

    it('answers a request without credentials with 401 and WWW-Authenticate, and audits the attempt', async () => {
      const r = await searchDocuments(ctx.fhir, a.patient, {});
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="hie-gateway"');
      assert.equal(r.resource?.issue?.[0]?.code, 'login');
      const soap = await findDocuments(ctx.baseUrl, a.patient);
      assert.equal(soap.status, 401);
      assert.equal(securityFaultCode(soap), 'InvalidSecurity');

      const trail = await request(`${ctx.fhir}/AuditEvent?date=ge${today()}&type=110114&outcome=4`, { headers: { accept: 'application/fhir+json', ...bearer(system) } });
      assert.equal(trail.status, 200, trail.text);
      const events = (trail.resource?.entry ?? []).map((e: { resource: Record<string, any> }) => e.resource);
      assert.ok(events.some((e: Record<string, any>) => e.outcomeDesc === 'none: no credentials' && e.agent.some((g: Record<string, any>) => g.network?.address === '127.0.0.1')), JSON.stringify(events));
    });

    it('refuses wrong-audience, foreign-issuer, tampered, alg=none and HS256 tokens with 401 invalid_token', async () => {
      const good = await idp.token({ scope: 'system/*.rs' });
      const [header, payload] = good.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${b64url({ ...claims, scope: 'system/*.cruds' })}.${good.split('.')[2]}`;
      const none = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
      const { createHmac } = await import('node:crypto');
      const hsInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${payload}`;
      const hs256 = `${hsInput}.${createHmac('sha256', 'secret').update(hsInput).digest('base64url')}`;
      const bad = {
        wrongAudience: await idp.token({ scope: 'system/*.rs', resource: 'https://another-service.example/fhir' }),
        foreignIssuer: await stranger.token({ scope: 'system/*.rs' }),
        tampered,
        none,
        hs256,
      };
      for (const [name, token] of Object.entries(bad)) {
        const r = await searchDocuments(ctx.fhir, a.patient, bearer(token));
        assert.equal(r.status, 401, `${name}: ${r.text}`);
        assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_token"/, name);
        const soap = await findDocuments(ctx.baseUrl, a.patient, { headers: bearer(token) });
        assert.equal(securityFaultCode(soap), 'InvalidSecurityToken', name);
      }
      assert.equal((await searchDocuments(ctx.fhir, a.patient, bearer(good))).status, 200, 'the untouched token works');
    });

    it('names the missing scope in a 403, on FHIR and SOAP, and stores nothing', async () => {
      const readOnly = await idp.token({ scope: 'system/DocumentReference.rs' });
      const r = await request(`${ctx.fhir}`, { method: 'POST', headers: bearer(readOnly), json: { resourceType: 'Bundle', type: 'transaction', entry: [] } });
      assert.equal(r.status, 403);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="system\/DocumentReference.c"/);
      const soap = await provideSingle(ctx.baseUrl, { patient: await newPatient(ctx.gw) }, { headers: bearer(readOnly) });
      assert.equal(securityFaultCode(soap.reply), 'FailedAuthentication');
      await assert.rejects(registered(ctx.gw, soap.submitted.docUid), /not registered/);
    });

    it('shows a patient token only its own patient over FHIR: documents, bytes and audit trail', async () => {
      const own = await searchDocuments(ctx.fhir, a.patient, bearer(patientToken));
      assert.equal(own.status, 200);
      assert.equal(own.resource?.total, 1);
      const other = await searchDocuments(ctx.fhir, b.patient, bearer(patientToken));
      assert.equal(other.status, 200);
      assert.equal(other.resource?.total, 0, 'another patient\'s documents are not found');

      const bRef = (await searchDocuments(ctx.fhir, b.patient, bearer(system))).resource!.entry[0].resource;
      assert.equal((await request(`${ctx.fhir}/DocumentReference/${bRef.id}`, { headers: bearer(patientToken) })).status, 404);
      const bBinary = bRef.content[0].attachment.url as string;
      assert.equal((await request(bBinary, { headers: bearer(patientToken) })).status, 404);
      const aBinary = own.resource!.entry[0].resource.content[0].attachment.url as string;
      assert.equal((await request(aBinary, { headers: bearer(patientToken) })).status, 200);

      const trail = await request(`${ctx.fhir}/AuditEvent?date=ge${today()}`, { headers: { accept: 'application/fhir+json', ...bearer(patientToken) } });
      assert.equal(trail.status, 200, trail.text);
      const text = JSON.stringify(trail.resource);
      const idOf = (cx: string) => cx.split('^')[0]!;
      assert.ok(text.includes(idOf(a.patient)), 'the patient sees events about themselves');
      assert.ok(!text.includes(idOf(b.patient)), 'and none about anyone else');
      const bTrail = await request(`${ctx.fhir}/AuditEvent?date=ge${today()}&patient.identifier=${encodeURIComponent(`${RID_SYSTEM}|${idOf(b.patient)}`)}`, { headers: bearer(system) });
      const bEvent = bTrail.resource!.entry[0].resource.id as string;
      assert.equal((await request(`${ctx.fhir}/AuditEvent/${bEvent}`, { headers: bearer(patientToken) })).status, 404);
    });

    it('shows a patient token only its own patient over SOAP: ITI-18 and ITI-43', async () => {
      const auth = { headers: bearer(patientToken) };
      assert.equal(queryObjects(await findDocuments(ctx.baseUrl, a.patient, auth)).length, 1);
      const other = await findDocuments(ctx.baseUrl, b.patient, auth);
      assert.equal(registryResult(other).status, 'Success');
      assert.equal(queryObjects(other).length, 0);
      assert.equal(registryResult(await retrieve(ctx.baseUrl, repositoryId(), a.docUid, auth)).status, 'Success');
      const denied = registryResult(await retrieve(ctx.baseUrl, repositoryId(), b.docUid, auth));
      assert.equal(denied.status, 'Failure');
      assert.deepEqual(errorCodes(denied), ['XDSDocumentUniqueIdError']);
    });

    it('lets a patient token submit about its own patient only', async () => {
      const writer = await idp.token({ clientId: idp.clients.patientApp.clientId, scope: 'patient/*.cruds', patient: b.patient });
      await publish(ctx.baseUrl, b.patient, { headers: bearer(writer) });
      const elsewhere = await provideSingle(ctx.baseUrl, { patient: a.patient }, { headers: bearer(writer) });
      assert.equal(securityFaultCode(elsewhere.reply), 'FailedAuthentication');
      await assert.rejects(registered(ctx.gw, elsewhere.submitted.docUid), /not registered/);
    });

    it('refuses an emergency purpose of use where EMERGENCY_ACCESS is not allowed', async () => {
      const emergency = await idp.token({ scope: 'system/*.rs', purposeOfUse: 'ETREAT' });
      const r = await searchDocuments(ctx.fhir, a.patient, bearer(emergency));
      assert.equal(r.status, 403);
      assert.equal(r.resource?.issue?.[0]?.diagnostics, 'access denied', 'the reason stays in the audit trail');
    });
  }, () => ({ AUTH: 'on', OAUTH_ISSUERS: idp.issuer, OAUTH_AUDIENCE: DEFAULT_AUDIENCE }));
});
