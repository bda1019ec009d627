import assert from 'node:assert/strict';
import { servingPids, startGateway } from '../support/gateway-process';
import { createPgSchema } from '../support/pg-schema';
import { needService } from '../support/services';

describe('worker supervisor (WORKERS=2)', function () {
  this.timeout(90_000);

  it('replaces a worker that crashed, again and again (with backoff), and SIGTERM still stops everything', async function () {
    const schema = await createPgSchema(await needService(this, 'postgres'), 'workers');
    const gw = await startGateway({ DATABASE_URL: schema.url, WORKERS: '2' });
    try {
      let pids = await servingPids(gw.baseUrl, 2);
      // Two crashes in a row soon after start: the second restart waits (backoff), neither stops the gateway.
      for (let round = 0; round < 2; round++) {
        const [victim] = [...pids];
        process.kill(victim!, 'SIGKILL');
        const deadline = Date.now() + 40_000;
        do {
          assert.ok(Date.now() < deadline, 'a new worker serves');
          await new Promise((r) => setTimeout(r, 200));
          pids = await servingPids(gw.baseUrl, 2, 2_000);
        } while (pids.size < 2 || pids.has(victim!));
      }
      assert.equal(gw.child.exitCode, null);
      assert.match(gw.output(), /"restartInMs":[1-9]/, 'a quick second crash is restarted after a delay');
    } finally {
      assert.equal(await gw.stop(), 0);
      await schema.drop();
    }
    assert.match(gw.output(), /all workers stopped/);
  });
});
