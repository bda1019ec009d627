import assert from 'node:assert/strict';
import { StoredQueryId } from '../../src/domain/stored-query-catalog';
import { loadConfig } from '../../src/config';
import { feedPatient, freshBundle, request, RID } from '../fhir/http/support';
import { quoted, slot, storedQuery, XDS_TRANSACTIONS } from '../xds/support/messages';
import { errorCodes, registryResult } from '../xds/support/responses';
import { startGateway } from '../support/gateway-process';
import { createPgCluster, needPostgresBinaries, type PgCluster } from '../support/pg-cluster';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { FAST_DATABASE_TIMEOUTS, outageUnderLoad } from './support/outage-under-load';

describe('PostgreSQL outages under ITI-65/ITI-67 load', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let schema: PgSchema;

  before(async function () {
    cluster = await createPgCluster(needPostgresBinaries(this));
  });
  after(async () => {
    await cluster?.destroy();
  });
  beforeEach(async () => {
    schema = await createPgSchema(cluster.url, 'outage');
  });

  it('pg_ctl stop -m fast, then start: 503s during, successes after, nothing lost', async () => {
    await outageUnderLoad({ databaseUrl: schema.url, begin: () => cluster.stop('fast'), end: () => cluster.start() });
  });

  it('pg_ctl stop -m immediate with WORKERS=2: both workers stay up and serve again', async () => {
    await outageUnderLoad({ databaseUrl: schema.url, env: { WORKERS: '2' }, begin: () => cluster.stop('immediate'), end: () => cluster.start() });
  });

  it('a frozen server (SIGSTOP, then SIGCONT): refusals within the timeouts, not the length of the freeze', async () => {
    await outageUnderLoad({ databaseUrl: schema.url, begin: () => cluster.freeze(), end: () => cluster.thaw() });
  });

  it('XDS.b during the outage: ITI-18 answers its own response with Failure and XDSRegistryBusy, then succeeds again', async () => {
    const gw = await startGateway({ DATABASE_URL: schema.url, ...FAST_DATABASE_TIMEOUTS });
    const patient = `${RID}^^^&${loadConfig({}).patientIdAuthority}&ISO`;
    const findDocuments = async () =>
      registryResult(
        await storedQuery(gw.baseUrl, StoredQueryId.FindDocuments, 'ObjectRef', [slot('$XDSDocumentEntryPatientId', quoted(patient)), slot('$XDSDocumentEntryStatus', "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')")]),
        XDS_TRANSACTIONS.storedQuery.response,
      );
    try {
      assert.equal((await findDocuments()).status, 'Success');
      await cluster.stop('fast');
      const refused = await findDocuments();
      assert.deepEqual([refused.status, errorCodes(refused)], ['Failure', ['XDSRegistryBusy']]);
      await cluster.start();
      const deadline = Date.now() + 20_000;
      while ((await findDocuments()).status !== 'Success') {
        assert.ok(Date.now() < deadline, 'ITI-18 succeeds again once the database answers');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await cluster.start().catch(() => undefined);
      assert.equal(await gw.stop(), 0);
    }
  });

  it('started before its database: waits for it, then serves', async () => {
    await cluster.stop('fast');
    const starting = startGateway({ DATABASE_URL: schema.url, ...FAST_DATABASE_TIMEOUTS });
    await new Promise((r) => setTimeout(r, 2_000));
    await cluster.start();
    const gw = await starting;
    try {
      assert.match(gw.output(), /database not answering yet/);
      assert.ok([200, 201].includes((await feedPatient(`${gw.baseUrl}/fhir`)).status));
      const submitted = await request(`${gw.baseUrl}/fhir`, { method: 'POST', json: freshBundle('minimal-bundle.json') });
      assert.equal(submitted.status, 200, submitted.text);
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  });
});
