/**
 * The forwarder's side of the outbox. A claim leases due rows by pushing next_attempt_at
 * out (FOR UPDATE SKIP LOCKED keeps several gateway processes on PostgreSQL from
 * claiming the same rows; PGlite has one connection, so it changes nothing there). The
 * send happens outside any transaction, so a slow repository never holds a connection
 * or PGlite's only one. A sender that dies after its claim leaves the rows pending; the
 * lease runs out and they are claimed again: at-least-once, never lost.
 */
import type { SqlExecutor } from '../store/sql/database';
import type { AuditEvent } from './fhir-audit-event';

export interface ClaimedRecord {
  eventId: string;
  /** Attempts made before this one. */
  attempts: number;
  event: AuditEvent;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

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

export async function claimDue(db: SqlExecutor, destination: string, limit: number, leaseMs: number): Promise<ClaimedRecord[]> {
  const r = await db.query<{ event_id: string; attempts: number; resource: AuditEvent }>(CLAIM, [destination, limit, leaseMs]);
  return r.rows.map((row) => ({ eventId: row.event_id, attempts: row.attempts, event: row.resource }));
}

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

export async function markSent(db: SqlExecutor, destination: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length > 0) await db.query(MARK_SENT, [destination, eventIds]);
}

/** Transient failure: the records stay pending and become due again after their backoff. */
export async function markRetry(db: SqlExecutor, destination: string, eventIds: readonly string[], error: string, policy: RetryPolicy): Promise<void> {
  if (eventIds.length > 0) await db.query(MARK_RETRY, [destination, eventIds, error, policy.baseMs, policy.maxMs]);
}

/** The repository rejected the records (retrying can't help): kept as failed for an operator, not retried. */
export async function markFailed(db: SqlExecutor, destination: string, eventIds: readonly string[], error: string): Promise<void> {
  if (eventIds.length > 0) await db.query(MARK_FAILED, [destination, eventIds, error]);
}

/** Puts failed records back in line (after the repository was fixed); resolves with how many. */
export async function requeueFailed(db: SqlExecutor, destination?: string): Promise<number> {
  const r = await db.query(
    `UPDATE audit_outbox SET status = 'pending', next_attempt_at = now() WHERE status = 'failed' AND ($1::text IS NULL OR destination = $1)`,
    [destination ?? null],
  );
  return r.rowCount;
}

/** Deletes delivery rows sent longer ago than `olderThanMs`; the events themselves stay. */
export async function pruneSent(db: SqlExecutor, olderThanMs: number): Promise<number> {
  const r = await db.query(`DELETE FROM audit_outbox WHERE status = 'sent' AND last_attempt_at < now() - $1::float8 * interval '1 millisecond'`, [olderThanMs]);
  return r.rowCount;
}
