import assert from 'node:assert/strict';
import { createAuditService } from '../../src/audit/audit-service';
import { loadConfig } from '../../src/config';
import { createJobQueue } from '../../src/jobs/create-job-queue';
import { createLogger } from '../../src/logger';
import { openTestDatabase } from '../support/databases';
import { createInput } from './support/fixtures';
import { sqlAuditStores } from './support/stores';

describe('audit service wiring', () => {
  it('takes the gateway config, its untyped JobQueue and pino logger; without destinations it stores events and forwards nothing', async () => {
    const { db, drop } = await openTestDatabase('pglite');
    const jobs = createJobQueue();
    try {
      const audit = createAuditService(loadConfig({ AUTH: 'off' }), { ...sqlAuditStores(db), jobs, logger: createLogger('silent') });
      await jobs.start();
      audit.start();
      const event = await audit.trail.record(createInput());
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE id = $1', [event.id]);
      assert.equal(r.rows[0]!.n, 1);
      assert.deepEqual(await audit.health(), []);
      assert.deepEqual(audit.trail.destinations, []);
      await audit.close();
    } finally {
      await jobs.close();
      await drop();
    }
  });

  it('configured destinations become the trail destinations, by name', async () => {
    const { db, drop } = await openTestDatabase('pglite');
    const jobs = createJobQueue();
    try {
      const config = loadConfig({ AUTH: 'off', AUDIT_SYSLOG_UDP: 'udp=127.0.0.1:9', AUDIT_FHIR_URL: 'http://127.0.0.1:9/fhir' });
      const audit = createAuditService(config, { ...sqlAuditStores(db), jobs, logger: createLogger('silent') });
      assert.deepEqual(audit.trail.destinations, ['udp', 'fhir:http://127.0.0.1:9/fhir']);
      assert.deepEqual((await audit.health()).map((h) => [h.destination, h.configured, h.pending]), [
        ['udp', true, 0],
        ['fhir:http://127.0.0.1:9/fhir', true, 0],
      ]);
      await audit.close();
    } finally {
      await jobs.close();
      await drop();
    }
  });
});
