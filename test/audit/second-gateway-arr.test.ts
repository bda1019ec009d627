// A second gateway as the FHIR Audit Record Repository: gateway A forwards its audit
// records (ITI-20 RESTful, POST [base]/AuditEvent) to gateway B, where ITI-81 finds them.
import assert from 'node:assert/strict';
import { feedPatient, freshBundle, request, type Json } from '../fhir/http/support';
import { startGateway, type GatewayProcess } from '../support/gateway-process';
import { waitFor } from './support/audit-harness';

const SOURCE_A = 'gateway-a@arr-test';
const SOURCE_B = 'gateway-b@arr-test';
const ITI65 = 'urn:ihe:event-type-code|ITI-65';

interface Destination {
  destination: string;
  configured: boolean;
  pending: number;
  failed: number;
  lastSentAt?: string | null;
}

describe('a second gateway as FHIR Audit Record Repository', function () {
  this.timeout(60_000);
  const gateways: GatewayProcess[] = [];

  after(async () => {
    while (gateways.length > 0) await gateways.pop()!.stop();
  });

  it("gateway A's ITI-65 audit event arrives at gateway B and A's outbox shows it sent", async () => {
    const b = await startGateway({ AUTH: 'off', LOG_LEVEL: 'warn', AUDIT_SOURCE_ID: SOURCE_B });
    gateways.push(b);
    const a = await startGateway({
      AUTH: 'off',
      LOG_LEVEL: 'warn',
      AUDIT_SOURCE_ID: SOURCE_A,
      AUDIT_FHIR_URL: `arr=${b.baseUrl}/fhir`,
      AUDIT_POLL_MS: '100',
      AUDIT_RETRY_BASE_MS: '100',
      AUDIT_RETRY_MAX_MS: '500',
    });
    gateways.push(a);
    const since = new Date(Date.now() - 5_000).toISOString();

    const fed = await feedPatient(`${a.baseUrl}/fhir`);
    assert.ok(fed.status === 200 || fed.status === 201, `ITI-104: ${fed.status} ${fed.text}`);
    const bundle = freshBundle('minimal-bundle.json');
    const provided = await request(`${a.baseUrl}/fhir`, { method: 'POST', json: bundle });
    assert.ok(provided.status === 200 || provided.status === 201, `ITI-65: ${provided.status} ${provided.text}`);
    const setUniqueId = (bundle.entry as Json[]).find((e) => e.resource?.resourceType === 'List')!.resource.identifier.find((i: Json) => i.use === 'usual').value as string;

    const search = `${b.baseUrl}/fhir/AuditEvent?date=${encodeURIComponent(`ge${since}`)}&subtype=${encodeURIComponent(ITI65)}&_count=100`;
    let found: Json | undefined;
    await waitFor(
      async () => {
        const reply = await request(search);
        assert.equal(reply.status, 200, reply.text);
        found = (reply.resource?.entry ?? [])
          .map((e: Json) => e.resource as Json)
          .find((ev: Json) => ev.source?.observer?.identifier?.value === SOURCE_A && ev.subtype?.some((s: Json) => s.code === 'ITI-65'));
        return found !== undefined;
      },
      20_000,
      "A's ITI-65 audit event at B",
    );
    assert.equal(found!.resourceType, 'AuditEvent');
    assert.equal(found!.outcome, '0');
    assert.ok(
      (found!.entity ?? []).some((e: Json) => e.what?.identifier?.value === setUniqueId),
      `the event names the submission set ${setUniqueId}: ${JSON.stringify(found!.entity)}`,
    );
    // B's own events are observed by B; the one found is A's.
    assert.notEqual(found!.source.observer.identifier.value, SOURCE_B);

    // A's outbox: the record to B is sent, nothing pending or failed.
    await waitFor(
      async () => {
        const health = (await (await fetch(`${a.baseUrl}/health`)).json()) as { audit: { destinations: Destination[] } };
        const arr = health.audit.destinations.find((d) => d.destination === 'arr');
        assert.ok(arr, `destination arr in A's health: ${JSON.stringify(health.audit)}`);
        assert.equal(arr.failed, 0);
        return arr.configured && arr.pending === 0 && !!arr.lastSentAt;
      },
      10_000,
      "A's outbox to show the record sent",
    );
  });
});
