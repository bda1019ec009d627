// An in-memory sender whose verdicts the test decides, for exercising the outbox state machine.
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import type { AuditSender, DeliveryResult } from '../../../src/audit/senders/sender';

export class FakeSender implements AuditSender {
  readonly delivered: AuditEvent[] = [];
  /** Default: everything delivered. Throw to fail the whole batch. */
  verdict: (event: AuditEvent) => DeliveryResult = () => ({ status: 'sent' });
  batches = 0;

  constructor(readonly name: string) {}

  async send(events: readonly AuditEvent[]): Promise<DeliveryResult[]> {
    this.batches++;
    const results = events.map((e) => this.verdict(e));
    events.forEach((e, i) => results[i]!.status === 'sent' && this.delivered.push(e));
    return results;
  }

  async close(): Promise<void> {}
}
