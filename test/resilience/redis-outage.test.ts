import assert from 'node:assert/strict';
import { startFhirRepository, type FhirRepository } from '../audit/support/receivers';
import { feedPatient } from '../fhir/http/support';
import { FhirLoad } from '../support/fhir-load';
import { startGateway } from '../support/gateway-process';
import { createPgSchema, type PgSchema } from '../support/pg-schema';
import { needRedisServer, startRedis, type RedisProcess } from '../support/redis-process';
import { needService } from '../support/services';
import { HEALTH_BOUND_MS, timedHealth } from './support/outage-under-load';

describe('Redis outage (REDIS_URL): requests keep being served, jobs resume', function () {
  this.timeout(120_000);
  let redis: RedisProcess | undefined;
  let schema: PgSchema | undefined;
  let repository: FhirRepository | undefined;

  before(async function () {
    const binary = needRedisServer(this);
    schema = await createPgSchema(await needService(this, 'postgres'), 'redis_outage');
    redis = await startRedis(binary);
    repository = await startFhirRepository();
  });
  after(async () => {
    await redis?.kill();
    await repository?.close();
    await schema?.drop();
  });

  it('redis-server killed and restarted under ITI-65/67 load', async () => {
    const gw = await startGateway({ DATABASE_URL: schema!.url, REDIS_URL: redis!.url, AUDIT_FHIR_URL: repository!.baseUrl, AUDIT_POLL_MS: '200' });
    const load = new FhirLoad(`${gw.baseUrl}/fhir`);
    try {
      assert.ok([200, 201].includes((await feedPatient(`${gw.baseUrl}/fhir`)).status));
      await repository!.waitFor(1, 20_000);

      await redis!.kill();
      load.start();
      const health = await timedHealth(gw.baseUrl);
      assert.ok(health.ms < HEALTH_BOUND_MS, `/health took ${health.ms} ms with Redis down`);
      assert.deepEqual([health.status, health.body.status, health.body.jobs.state, health.body.store.state], [200, 'degraded', 'down', 'up']);
      await new Promise((r) => setTimeout(r, 1_500));
      await load.stop();
      const during = load.answers.filter((a) => a.transaction === 'ITI-65');
      assert.ok(during.length > 0);
      assert.deepEqual(load.answers.filter((a) => a.status !== 200), [], 'every request served while Redis was down');

      await redis!.start();
      // Forwarding runs as BullMQ jobs: the records of submissions made during the outage reach the repository once Redis is back.
      const deadline = Date.now() + 30_000;
      const forwarded = () => JSON.stringify(repository!.received.map((r) => r.body));
      while (!during.every((a) => forwarded().includes(a.submissionSetUid!))) {
        assert.ok(Date.now() < deadline, 'audit records of the outage forwarded after Redis returned');
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(gw.child.exitCode, null, 'the gateway process is still running');
      assert.equal((await timedHealth(gw.baseUrl)).body.jobs.state, 'up');
    } finally {
      await load.stop();
      assert.equal(await gw.stop(), 0, gw.output().slice(-2000));
    }
  });
});
