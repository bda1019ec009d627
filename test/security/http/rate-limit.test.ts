// Per-client rate limits end to end: over the limit, FHIR answers 429 with Retry-After and
// SOAP the transaction's own response with XDSRegistryBusy / XDSRepositoryBusy.
import assert from 'node:assert/strict';
import { request } from '../../fhir/http/support';
import { describeEachStoreOverHttp } from '../../support/http-gateway';
import { newPatient } from '../../xds/support/messages';
import { actionOf } from '../../xds/support/responses';
import { errorCodes, findDocuments, registryResult, retrieve } from './support';

async function exhaust(fhir: string): Promise<void> {
  for (let i = 0; i < 3; i++) await request(`${fhir}/metadata`);
}

describeEachStoreOverHttp('security: rate limits', (ctx) => {
  it('answers FHIR requests over the limit with 429, Retry-After and an OperationOutcome', async () => {
    await exhaust(ctx.fhir);
    const r = await request(`${ctx.fhir}/DocumentReference?patient.identifier=x|1`, { headers: { accept: 'application/fhir+json' } });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(r.resource?.issue?.[0]?.code, 'throttled');
  });

  it('answers SOAP requests over the limit with the transaction response and XDSRegistryBusy or XDSRepositoryBusy', async () => {
    const patient = await newPatient(ctx.gw);
    await exhaust(ctx.fhir);
    const query = await findDocuments(ctx.baseUrl, patient);
    assert.equal(actionOf(query), 'urn:ihe:iti:2007:RegistryStoredQueryResponse');
    assert.deepEqual(errorCodes(registryResult(query)), ['XDSRegistryBusy']);
    const retrieval = await retrieve(ctx.baseUrl, ctx.gw.config.repositoryUniqueId, '1.2.3');
    assert.equal(actionOf(retrieval), 'urn:ihe:iti:2007:RetrieveDocumentSetResponse');
    assert.deepEqual(errorCodes(registryResult(retrieval)), ['XDSRepositoryBusy']);
  });

  it('serves the client again once its bucket refills', async () => {
    await exhaust(ctx.fhir);
    assert.equal((await request(`${ctx.fhir}/metadata`)).status, 429);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await request(`${ctx.fhir}/metadata`)).status, 200);
  });
}, { RATE_LIMIT: '1', RATE_LIMIT_BURST: '2' });
