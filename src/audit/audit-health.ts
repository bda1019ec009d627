/**
 * Outbox state per destination for /health and /metrics: what waits, what failed for
 * good, how old the oldest waiting record is, and the last success and error. Read from
 * the database, so every gateway process reports the same numbers.
 */
import type { SqlExecutor } from '../store/sql/database';

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

interface CountRow {
  destination: string;
  pending: number;
  failed: number;
  oldest: Date | string | null;
}

interface StatusRow {
  name: string;
  last_sent_at: Date | string | null;
  last_error: string | null;
  last_error_at: Date | string | null;
}

// PGlite and pg both return timestamptz as Date; normalise anyway so a driver change can't leak strings.
const date = (v: Date | string | null) => (v === null ? undefined : new Date(v));

export async function auditHealth(db: SqlExecutor, configured: readonly string[]): Promise<AuditDestinationHealth[]> {
  const counts = await db.query<CountRow>(
    `SELECT destination, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
       min(created_at) FILTER (WHERE status = 'pending') AS oldest
     FROM audit_outbox WHERE status <> 'sent' GROUP BY destination`,
  );
  const status = await db.query<StatusRow>('SELECT name, last_sent_at, last_error, last_error_at FROM audit_destinations');
  const byCount = new Map(counts.rows.map((r) => [r.destination, r]));
  const byStatus = new Map(status.rows.map((r) => [r.name, r]));
  const names = [...new Set([...configured, ...byCount.keys()])];
  return names.map((destination) => {
    const c = byCount.get(destination);
    const s = byStatus.get(destination);
    const oldest = date(c?.oldest ?? null);
    const lastSentAt = date(s?.last_sent_at ?? null);
    const lastErrorAt = date(s?.last_error_at ?? null);
    return {
      destination,
      configured: configured.includes(destination),
      pending: c?.pending ?? 0,
      failed: c?.failed ?? 0,
      ...(oldest ? { oldestPendingAt: oldest } : {}),
      ...(lastSentAt ? { lastSentAt } : {}),
      ...(s?.last_error ? { lastError: s.last_error } : {}),
      ...(lastErrorAt ? { lastErrorAt } : {}),
    };
  });
}
