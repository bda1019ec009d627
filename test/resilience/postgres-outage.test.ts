import assert from 'node:assert/strict';
import { feedPatient, freshBundle, request } from '../mhd/http/support';
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
