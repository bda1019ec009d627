/**
 * Outbox state per destination for /health and /metrics: what waits, what failed for
 * good, how old the oldest waiting record is, and the last success and error. Read from
 * the store, so every gateway process reports the same numbers.
 */
import type { AuditOutboxStore } from './ports';

export interface AuditDestinationHealth {
  destination: string;
  /** False for a destination that still has records but is no longer configured. */
  configured: boolean;
  pending: number;
  failed: number;
  /** When the oldest pending record was queued. */
  oldestPendingAt?: Date;
  lastSentAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
}

export async function auditHealth(outbox: AuditOutboxStore, configured: readonly string[]): Promise<AuditDestinationHealth[]> {
  const [counts, status] = await Promise.all([outbox.destinationCounts(), outbox.destinationStatus()]);
  const byCount = new Map(counts.map((c) => [c.destination, c]));
  const byStatus = new Map(status.map((s) => [s.destination, s]));
  const names = [...new Set([...configured, ...byCount.keys()])];
  return names.map((destination) => {
    const { destination: _c, ...c } = byCount.get(destination) ?? { destination, pending: 0, failed: 0 };
    const { destination: _s, ...s } = byStatus.get(destination) ?? { destination };
    return { destination, configured: configured.includes(destination), ...c, ...s };
  });
}
