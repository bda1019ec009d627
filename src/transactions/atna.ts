/** RESTful ATNA: the gateway as an Audit Record Repository (ITI-20 store, ITI-81 retrieve). */
import { on } from './access';
import type { TransactionDescriptor } from './descriptor';

/** Storing another actor's event is not itself audited (that would audit the audit trail's input). */
export const ITI_20 = {
  id: 'ITI-20',
  name: 'Record Audit Event',
  fhir: [{ method: 'POST', path: '/AuditEvent', handler: 'create', access: on('AuditEvent', 'create'), audited: false }],
} as const satisfies TransactionDescriptor;

export const ITI_81 = {
  id: 'ITI-81',
  name: 'Retrieve ATNA Audit Event',
  audit: { kind: 'query', atc: 'ATC_LOG_READ' },
  fhir: [
    { method: 'GET', path: '/AuditEvent', handler: 'search', access: on('AuditEvent', 'search') },
    { method: 'POST', path: '/AuditEvent/_search', handler: 'searchByPost', access: on('AuditEvent', 'search') },
    { method: 'GET', path: '/AuditEvent/:id', handler: 'read', access: on('AuditEvent', 'read') },
  ],
} as const satisfies TransactionDescriptor;
