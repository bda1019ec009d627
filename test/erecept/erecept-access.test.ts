// Who may use the eRecept bridge: the caller's SMART scopes (tokens from a real OpenID provider)
// decide each interaction, `MedicationRequest.write` being what prescribing takes; a caller bound
// to one patient reads that patient's prescriptions alone and changes none. Refusals are 403
// OperationOutcomes, audited, and never reach CÚER.
import assert from 'node:assert/strict';
import { RID_SYSTEM } from '../../src/domain/czech-identifiers';
import { scopesAllow } from '../../src/security/scopes';
import { describeEachStoreOverHttp } from '../support/http-gateway';
import { DEFAULT_AUDIENCE, startOidcProvider, type TestOidcProvider } from '../security/support/oidc-provider';
import { cuerFixture } from './support/cuer-fixture';
import { medicationRequest, RID } from './support/medication-request';

type Json = Record<string, any>;

describe('eRecept access: scopes', () => {
  it('MedicationRequest.write grants prescribing, changing and cancelling, not reading', () => {
    for (const interaction of ['create', 'update'] as const) assert.ok(scopesAllow(['user/MedicationRequest.write'], { resource: 'MedicationRequest', interaction }, false));
    assert.ok(!scopesAllow(['user/MedicationRequest.write'], { resource: 'MedicationRequest', interaction: 'read' }, false));
    assert.ok(!scopesAllow(['user/MedicationRequest.read'], { resource: 'MedicationRequest', interaction: 'create' }, false));
    assert.ok(!scopesAllow(['user/MedicationRequest.write'], { resource: 'MedicationDispense', interaction: 'create' }, false));
  });
});

describe('eRecept access over /fhir (oidc-provider, CÚER simulator)', function () {
  this.timeout(120_000);
  const cuer = cuerFixture();
  let idp: TestOidcProvider;
  before(async () => {
    idp = await startOidcProvider({ audience: DEFAULT_AUDIENCE });
  });
  after(async () => {
    await idp?.close();
  });

  describeEachStoreOverHttp(
    'scopes and patient context',
    (ctx) => {
      const send = async (method: string, url: string, token: string, body?: Json) => {
        const res = await fetch(`${ctx.fhir}${url}`, {
          method,
          headers: { Accept: 'application/fhir+json', authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/fhir+json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, body: (await res.json()) as Json };
      };
      const ridCx = () => `${RID}^^^&${ctx.gw.config.profile.patientIdSystems[RID_SYSTEM]}&ISO`;
      let id: string;

      it('a read-only token may not prescribe (403, audited, CÚER not asked); a write token may', async () => {
        const reader = await idp.token({ scope: 'user/MedicationRequest.read' });
        const calls = cuer.sim.calls.length;
        const refused = await send('POST', '/MedicationRequest', reader, medicationRequest());
        assert.equal(refused.status, 403);
        assert.equal(refused.body.resourceType, 'OperationOutcome');
        assert.equal(cuer.sim.calls.length, calls);
        const failures = await ctx.gw.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE 'ERP-PRESCRIBE' = ANY(subtypes) AND outcome <> '0'`);
        assert.equal(failures.rows[0]!.n, 1);

        const writer = await idp.token({ scope: 'user/MedicationRequest.write' });
        const created = await send('POST', '/MedicationRequest', writer, medicationRequest());
        assert.equal(created.status, 201, JSON.stringify(created.body));
        id = created.body.id;
        assert.equal((await send('GET', `/MedicationRequest/${id}`, reader)).status, 200);
        assert.equal((await send('GET', `/MedicationRequest/${id}`, writer)).status, 403);
      });

      it("a caller bound to the patient reads the patient's prescription; bound to another patient, it is refused; it never cancels", async () => {
        const own = await idp.token({ scope: 'user/MedicationRequest.rs user/MedicationRequest.u', patient: ridCx() });
        assert.equal((await send('GET', `/MedicationRequest/${id}`, own)).status, 200);
        const cancel = await send('POST', `/MedicationRequest/${id}/$cancel`, own);
        assert.equal(cancel.status, 403);
        assert.equal((cuer.sim.prescriptions.get(id) as Json).Stav, 'PREDEPSANY');

        const otherCx = `1234567906^^^&${ctx.gw.config.profile.patientIdSystems[RID_SYSTEM]}&ISO`;
        const other = await idp.token({ scope: 'user/MedicationRequest.rs', patient: otherCx });
        assert.equal((await send('GET', `/MedicationRequest/${id}`, other)).status, 403);
        const list = await send('GET', `/MedicationRequest?patient:identifier=${encodeURIComponent(`${RID_SYSTEM}|${RID}`)}`, other);
        assert.equal(list.status, 403);
        const records = await ctx.gw.db.query<{ outcome: string; patient_id: string }>(`SELECT outcome, patient_id FROM audit_events WHERE 'ERP-READ' = ANY(subtypes) ORDER BY recorded, id`);
        const last = records.rows.at(-1)!;
        assert.notEqual(last.outcome, '0');
        assert.equal(last.patient_id, ridCx(), "the refused read is in the prescription's patient's trail");
      });
    },
    () => ({ AUTH: 'on', OAUTH_ISSUERS: idp.issuer, OAUTH_AUDIENCE: DEFAULT_AUDIENCE, ...cuer.env() }),
    {},
    ['postgres'],
  );
});
