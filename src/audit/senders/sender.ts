/** The port every Audit Record Repository adapter implements (syslog TLS, syslog UDP, FHIR). */
import type { AuditEvent } from '../fhir-audit-event';

/**
 * Per event: delivered; worth retrying (repository down, timeout); or rejected by the
 * repository for good (a FHIR 4xx, a message too large for a datagram).
 */
export type DeliveryResult = { status: 'sent' } | { status: 'retry' | 'rejected'; error: string };

export const SENT: DeliveryResult = { status: 'sent' };

export interface AuditSender {
  /** Destination name, as stored in audit_outbox.destination. */
  readonly name: string;
  /**
   * One result per event, in order. Throwing means the whole batch should be retried
   * (a stream transport either took the batch or it did not).
   */
  send(events: readonly AuditEvent[]): Promise<DeliveryResult[]>;
  /** Releases connections. */
  close(): Promise<void>;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
