/**
 * The audit outbox (the AuditOutboxStore port of audit/ports.ts) on PostgreSQL or PGlite.
 * A claim leases due rows by pushing next_attempt_at out (FOR UPDATE SKIP LOCKED keeps
 * several gateway processes on PostgreSQL from claiming the same rows; PGlite has one
 * connection, so it changes nothing there). The send happens outside any transaction, so a
 * slow repository never holds a connection or PGlite's only one.
 */
import type { AuditEvent } from '../../../audit/fhir-audit-event';
import type { AuditOutboxStore, ClaimedRecord, DestinationCounts, DestinationStatus, RetryPolicy } from '../../../audit/ports';
import type { SqlExecutor } from '../database';

const CLAIM = `
WITH due AS (
  SELECT event_id FROM audit_outbox
  WHERE destination = $1 AND status = 'pending' AND next_attempt_at <= now()
  ORDER BY next_attempt_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE audit_outbox o SET next_attempt_at = now() + $3::float8 * interval '1 millisecond'
  FROM due WHERE o.destination = $1 AND o.event_id = due.event_id
  RETURNING o.event_id, o.attempts
)
SELECT c.event_id, c.attempts, e.resource FROM claimed c JOIN audit_events e ON e.id = c.event_id
ORDER BY e.recorded, e.id`;

// Each status change also records the destination's last success / last error for /health, in the same statement.
const NOTE_SENT = `INSERT INTO audit_destinations (name, last_sent_at) VALUES ($1, now())
  ON CONFLICT (name) DO UPDATE SET last_sent_at = excluded.last_sent_at`;
const NOTE_ERROR = `INSERT INTO audit_destinations (name, last_error, last_error_at) VALUES ($1, $3, now())
  ON CONFLICT (name) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at`;

const MARK_SENT = `WITH s AS (
  UPDATE audit_outbox SET status = 'sent', attempts = attempts + 1, last_attempt_at = now()
  WHERE destination = $1 AND event_id = ANY($2::text[]) AND status = 'pending' RETURNING 1
) ${NOTE_SENT}`;

// Exponential backoff per record, capped; the exponent is capped too so power() can't overflow.
const MARK_RETRY = `WITH r AS (
  UPDATE audit_outbox SET attempts = attempts + 1, last_error = $3, last_attempt_at = now(),
    next_attempt_at = now() + least($5::float8, $4::float8 * power(2, least(attempts, 40))) * interval '1 millisecond'
  WHERE destination = $1 AND event_id = ANY($2::text[]) AND status = 'pending' RETURNING 1
) ${NOTE_ERROR}`;

const MARK_FAILED = `WITH f AS (
  UPDATE audit_outbox SET status = 'failed', attempts = attempts + 1, last_error = $3, last_attempt_at = now()
  WHERE destination = $1 AND event_id = ANY($2::text[]) AND status = 'pending' RETURNING 1
) ${NOTE_ERROR}`;

const COUNTS = `SELECT destination, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
    min(created_at) FILTER (WHERE status = 'pending') AS oldest
  FROM audit_outbox WHERE status <> 'sent' GROUP BY destination`;

// PGlite and pg both return timestamptz as Date; normalise anyway so a driver change can't leak strings.
const date = (v: Date | string | null) => (v === null ? {} : { at: new Date(v) });

export class SqlAuditOutbox implements AuditOutboxStore {
  constructor(private readonly sql: SqlExecutor) {}

  async claimDue(destination: string, limit: number, leaseMs: number): Promise<ClaimedRecord[]> {
    const r = await this.sql.query<{ event_id: string; attempts: number; resource: AuditEvent }>(CLAIM, [destination, limit, leaseMs]);
    return r.rows.map((row) => ({ eventId: row.event_id, attempts: row.attempts, event: row.resource }));
  }

  async markSent(destination: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length > 0) await this.sql.query(MARK_SENT, [destination, eventIds]);
  }

  async markRetry(destination: string, eventIds: readonly string[], error: string, policy: RetryPolicy): Promise<void> {
    if (eventIds.length > 0) await this.sql.query(MARK_RETRY, [destination, eventIds, error, policy.baseMs, policy.maxMs]);
  }

  async markFailed(destination: string, eventIds: readonly string[], error: string): Promise<void> {
    if (eventIds.length > 0) await this.sql.query(MARK_FAILED, [destination, eventIds, error]);
  }

  async requeueFailed(destination?: string): Promise<number> {
    const r = await this.sql.query(
      `UPDATE audit_outbox SET status = 'pending', next_attempt_at = now() WHERE status = 'failed' AND ($1::text IS NULL OR destination = $1)`,
      [destination ?? null],
    );
    return r.rowCount;
  }

  async pruneSent(olderThanMs: number): Promise<number> {
    const r = await this.sql.query(`DELETE FROM audit_outbox WHERE status = 'sent' AND last_attempt_at < now() - $1::float8 * interval '1 millisecond'`, [olderThanMs]);
    return r.rowCount;
  }

  async destinationCounts(): Promise<DestinationCounts[]> {
    const r = await this.sql.query<{ destination: string; pending: number; failed: number; oldest: Date | string | null }>(COUNTS);
    return r.rows.map(({ oldest, ...counts }) => {
      const o = date(oldest);
      return { ...counts, ...(o.at ? { oldestPendingAt: o.at } : {}) };
    });
  }

  async destinationStatus(): Promise<DestinationStatus[]> {
    const r = await this.sql.query<{ name: string; last_sent_at: Date | string | null; last_error: string | null; last_error_at: Date | string | null }>(
      'SELECT name, last_sent_at, last_error, last_error_at FROM audit_destinations',
    );
    return r.rows.map((s) => {
      const [sent, errorAt] = [date(s.last_sent_at), date(s.last_error_at)];
      return {
        destination: s.name,
        ...(sent.at ? { lastSentAt: sent.at } : {}),
        ...(s.last_error ? { lastError: s.last_error } : {}),
        ...(errorAt.at ? { lastErrorAt: errorAt.at } : {}),
      };
    });
  }
}
