// One database outage under MHD load, and what must hold around it: the gateway stays
// up, answers 503 (Retry-After, issue `transient`) while the database is away and /health
// says so within its budget, serves again once it is back, loses no acknowledged
// submission and audits every refusal.
import assert from 'node:assert/strict';
import { feedPatient } from '../../fhir/http/support';
import { FhirLoad } from '../../support/fhir-load';
import { startGateway } from '../../support/gateway-process';
import { assertAcknowledgedStored, waitForRefusalRecords } from './stored-outcomes';

/** Short database timeouts, so a frozen server costs the test seconds, not the defaults' five. */
export const FAST_DATABASE_TIMEOUTS = { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '2000', DATABASE_QUERY_TIMEOUT_MS: '2500' };

/** /health may take its budget plus a busy machine's slack. */
export const HEALTH_BOUND_MS = 1_500;

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function timedHealth(baseUrl: string): Promise<{ status: number; ms: number; body: { status: string; store: { state: string }; jobs: { state: string } } }> {
  const started = Date.now();
  const res = await fetch(`${baseUrl}/health`);
  const body = (await res.json()) as Awaited<ReturnType<typeof timedHealth>>['body'];
  return { status: res.status, ms: Date.now() - started, body };
}

/**
 * /health's status once it has said ok on four fresh connections in a row (the primary
 * deals them out round-robin, so every worker of two has answered), or the last status after 10 s.
 */
async function settledHealth(baseUrl: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let same = 0;
  let last = '';
  while (!(last === 'ok' && same >= 4) && Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/health`, { headers: { connection: 'close' } });
    const status = ((await res.json()) as { status: string }).status;
    same = status === last ? same + 1 : 1;
    last = status;
    if (status !== 'ok') await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

export interface Outage {
  databaseUrl: string;
  env?: Record<string, string>;
  begin(): Promise<void>;
  end(): Promise<void>;
}

export async function outageUnderLoad(outage: Outage): Promise<void> {
  const gw = await startGateway({ DATABASE_URL: outage.databaseUrl, ...FAST_DATABASE_TIMEOUTS, ...outage.env });
  const load = new FhirLoad(`${gw.baseUrl}/fhir`);
  try {
    assert.ok([200, 201].includes((await feedPatient(`${gw.baseUrl}/fhir`)).status));
    load.start();
    await until('submissions before the outage', () => load.answers.some((a) => a.transaction === 'ITI-65' && a.status === 200), 20_000);

    const outageFrom = load.answers.length;
    await outage.begin();
    await until('refusals during the outage', () => load.since(outageFrom).filter((a) => a.status === 503).length >= 2, 30_000);
    const health = await timedHealth(gw.baseUrl);
    assert.ok(health.ms < HEALTH_BOUND_MS, `/health took ${health.ms} ms during the outage`);
    assert.deepEqual([health.status, health.body.status, health.body.store.state], [503, 'down', 'down']);

    await outage.end();
    const backFrom = load.answers.length;
    await until('submissions after the outage', () => load.since(backFrom).filter((a) => a.transaction === 'ITI-65' && a.status === 200).length >= 2, 30_000);
    await load.stop();

    assert.equal(gw.child.exitCode, null, 'the gateway process is still running');
    assert.doesNotMatch(gw.output(), /worker exited/, 'no worker died');
    const unexpected = load.answers.filter((a) => a.status !== 200 && a.status !== 503);
    assert.deepEqual(unexpected, [], 'every answer was a success or a 503');
    for (const refused of load.answers.filter((a) => a.status === 503)) assert.deepEqual([refused.retryAfter, refused.issueCode], ['5', 'transient']);
    // Every process reports the store up again (with WORKERS=2 the load may have reached only one
    // of them since the database came back; the other notices at its next probe).
    assert.equal(await settledHealth(gw.baseUrl), 'ok');

    await assertAcknowledgedStored(outage.databaseUrl, load.answers);
    await waitForRefusalRecords(outage.databaseUrl, load.answers);
  } finally {
    await load.stop();
    assert.equal(await gw.stop(), 0, gw.output().slice(-2000));
  }
}
