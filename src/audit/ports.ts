/**
 * What the audit layer needs from its store, in audit terms. The audit layer decides what a
 * record is, when it is written and how forwarding retries; the store keeps the events and
 * the outbox. The SQL adapter lives in store/sql/audit and is wired in the composition root
 * (gateway.ts).
 */
import type { StoreRows, StoreTransaction } from '../domain/store-transaction';
import type { AuditQuery, AuditQueryResult } from './audit-query';
import type { AuditEvent } from './fhir-audit-event';

/** One event as stored: with the patient it is about (CX, for search and scope) and the destinations it is queued for. */
export interface AuditRecord {
  event: AuditEvent;
  patientId: string | null;
  destinations: readonly string[];
}

/**
 * The audit events and their outbox records. Records and their outbox rows are always
 * written in one statement, so a record is never queued without its event or the reverse.
 */
export interface AuditEventStore {
  /** The records as rows a change's own statement writes (RegistrySession.insertObjects), so both commit together. */
  rows(records: readonly AuditRecord[]): StoreRows[];
  /** Writes the records in one statement: inside `tx` (a change's transaction) when given, else on their own. */
  write(records: readonly AuditRecord[], tx?: StoreTransaction): Promise<void>;
  /** Which of these event ids are stored. */
  storedIds(ids: readonly string[]): Promise<Set<string>>;
  /** Resolves when the store answers; rejects with StoreUnavailableError while it is unreachable. */
  ping(): Promise<void>;
  /** ITI-81: one page of the matching events, newest first, and how many match in all. */
  search(query: AuditQuery): Promise<AuditQueryResult>;
}

/** An outbox record leased to one forwarder. */
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

/** The outbox state of one destination: what waits and what failed for good. */
export interface DestinationCounts {
  destination: string;
  pending: number;
  failed: number;
  /** When the oldest pending record was queued. */
  oldestPendingAt?: Date;
}

/** The last success and error the forwarders noted for one destination. */
export interface DestinationStatus {
  destination: string;
  lastSentAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
}

/**
 * The forwarders' side of the outbox. A claim leases due records so concurrent forwarders
 * (several gateway processes) never take the same ones; a forwarder that dies after its claim
 * leaves them pending and the lease runs out: at-least-once, never lost. Each mark also notes
 * the destination's last success or error.
 */
export interface AuditOutboxStore {
  /** Leases up to `limit` due records of the destination for `leaseMs`, oldest event first. */
  claimDue(destination: string, limit: number, leaseMs: number): Promise<ClaimedRecord[]>;
  markSent(destination: string, eventIds: readonly string[]): Promise<void>;
  /** Transient failure: the records stay pending and become due again after their (exponential, capped) backoff. */
  markRetry(destination: string, eventIds: readonly string[], error: string, policy: RetryPolicy): Promise<void>;
  /** The repository rejected the records (retrying can't help): kept as failed for an operator, not retried. */
  markFailed(destination: string, eventIds: readonly string[], error: string): Promise<void>;
  /** Puts failed records back in line (after the repository was fixed); resolves with how many. */
  requeueFailed(destination?: string): Promise<number>;
  /** Deletes delivery records sent longer ago than `olderThanMs` (the events stay); resolves with how many. */
  pruneSent(olderThanMs: number): Promise<number>;
  /** Destinations that have records not yet sent. */
  destinationCounts(): Promise<DestinationCounts[]>;
  destinationStatus(): Promise<DestinationStatus[]>;
}
