// The audit layer's SQL adapters as gateway.ts wires them, for tests that build audit parts themselves.
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import { auditRecords } from '../../../src/audit/outbox';
import type { AuditEventStore, AuditOutboxStore } from '../../../src/audit/ports';
import type { SqlExecutor } from '../../../src/store/sql/database';
import { SqlAuditEvents } from '../../../src/store/sql/audit/sql-audit-events';
import { SqlAuditOutbox } from '../../../src/store/sql/audit/sql-audit-outbox';

export const sqlAuditEvents = (db: SqlExecutor): AuditEventStore => new SqlAuditEvents(db);
export const sqlAuditOutbox = (db: SqlExecutor): AuditOutboxStore => new SqlAuditOutbox(db);

/** What createAuditService takes of the store, on one database. */
export const sqlAuditStores = (db: SqlExecutor) => ({ events: sqlAuditEvents(db), outbox: sqlAuditOutbox(db) });

/** Stores events built by a test, queued for `destinations`, in one statement. */
export const storeEvents = (db: SqlExecutor, events: AuditEvent | readonly AuditEvent[], destinations: readonly string[]): Promise<void> =>
  sqlAuditEvents(db).write(auditRecords(events, { destinations }));
