// The audit layer's SQL adapters as gateway.ts wires them, for tests that build audit parts themselves.
import type { AuditEvent } from '../../../src/audit/fhir-audit-event';
import type { AuditOutboxStore } from '../../../src/audit/ports';
import type { SqlExecutor } from '../../../src/store/sql/database';
import { SqlAuditOutbox } from '../../../src/store/sql/audit/sql-audit-outbox';

export const sqlAuditOutbox = (db: SqlExecutor): AuditOutboxStore => new SqlAuditOutbox<AuditEvent>(db);
