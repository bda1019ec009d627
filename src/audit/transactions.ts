/**
 * What each IHE transaction's audit message looks like (ITI TF-2 "Security
 * Considerations" of each transaction, MHD's AuditEvent profiles): the DICOM event
 * type and action depend on which side of the exchange records it, so the table holds
 * the kind of exchange and `eventShape` derives type and action for a side.
 */
import { atcCoding, EventType, IHE_EVENT_TYPE, type AtcCode } from './codes';
import type { AuditAction, Coding } from './fhir-audit-event';

/**
 * - push: documents or metadata travel from the requester to the responder (Import at the responder)
 * - pull: documents travel back to the requester (Export at the responder)
 * - query: a search (Query, Execute on both sides)
 * - update: metadata lifecycle change (Import/Export with Update)
 * - remove: deletion of registry or repository objects (Patient Record, Delete)
 * - patient: patient identity feed (Patient Record)
 */
type ExchangeKind = 'push' | 'pull' | 'query' | 'update' | 'remove' | 'patient';

interface TransactionInfo {
  display: string;
  kind: ExchangeKind;
  /** The Czech HIE guide's event type, when the transaction is one of its document or log events. */
  atc?: AtcCode;
}

const TRANSACTIONS = {
  'ITI-18': { display: 'Registry Stored Query', kind: 'query', atc: 'ATC_DOC_SEARCH' },
  'ITI-38': { display: 'Cross Gateway Query', kind: 'query', atc: 'ATC_DOC_SEARCH' },
  'ITI-39': { display: 'Cross Gateway Retrieve', kind: 'pull', atc: 'ATC_DOC_READ' },
  'ITI-41': { display: 'Provide and Register Document Set-b', kind: 'push', atc: 'ATC_DOC_CREATE' },
  'ITI-42': { display: 'Register Document Set-b', kind: 'push', atc: 'ATC_DOC_CREATE' },
  'ITI-43': { display: 'Retrieve Document Set', kind: 'pull', atc: 'ATC_DOC_READ' },
  'ITI-51': { display: 'Multi-Patient Stored Query', kind: 'query', atc: 'ATC_DOC_SEARCH' },
  'ITI-55': { display: 'Cross Gateway Patient Discovery', kind: 'query' },
  'ITI-57': { display: 'Update Document Set', kind: 'update', atc: 'ATC_DOC_UPDATE' },
  'ITI-62': { display: 'Delete Document Set', kind: 'remove', atc: 'ATC_DOC_DELETE' },
  'ITI-65': { display: 'Provide Document Bundle', kind: 'push', atc: 'ATC_DOC_CREATE' },
  'ITI-66': { display: 'Find Document Lists', kind: 'query', atc: 'ATC_DOC_SEARCH' },
  'ITI-67': { display: 'Find Document References', kind: 'query', atc: 'ATC_DOC_SEARCH' },
  'ITI-68': { display: 'Retrieve Document', kind: 'pull', atc: 'ATC_DOC_READ' },
  'ITI-81': { display: 'Retrieve ATNA Audit Event', kind: 'query', atc: 'ATC_LOG_READ' },
  'ITI-86': { display: 'Remove Documents', kind: 'remove', atc: 'ATC_DOC_DELETE' },
  'ITI-104': { display: 'Patient Identity Feed FHIR', kind: 'patient' },
} as const satisfies Record<string, TransactionInfo>;

export type AuditTransaction = keyof typeof TRANSACTIONS;

/** 'served': this gateway answered the request; 'initiated': it sent the request to another actor. */
export type AuditSide = 'served' | 'initiated';

export function isAuditTransaction(value: string): value is AuditTransaction {
  return Object.hasOwn(TRANSACTIONS, value);
}

export function transactionCoding(transaction: AuditTransaction): Coding {
  return { system: IHE_EVENT_TYPE, code: transaction, display: TRANSACTIONS[transaction].display };
}

export function defaultAtcCoding(transaction: AuditTransaction): Coding | undefined {
  const info: TransactionInfo = TRANSACTIONS[transaction];
  return info.atc ? atcCoding(info.atc) : undefined;
}

/** DICOM event type and the default action for one side of a transaction. */
export function eventShape(transaction: AuditTransaction, side: AuditSide): { type: Coding; action: AuditAction } {
  const served = side === 'served';
  switch (TRANSACTIONS[transaction].kind) {
    case 'push':
      return served ? { type: EventType.Import, action: 'C' } : { type: EventType.Export, action: 'R' };
    case 'pull':
      return served ? { type: EventType.Export, action: 'R' } : { type: EventType.Import, action: 'C' };
    case 'query':
      return { type: EventType.Query, action: 'E' };
    case 'update':
      return { type: served ? EventType.Import : EventType.Export, action: 'U' };
    case 'remove':
      return { type: EventType.PatientRecord, action: 'D' };
    case 'patient':
      // ITI-104 is a conditional update: create-or-update; front ends pass 'C' or 'D' when they know.
      return { type: EventType.PatientRecord, action: 'U' };
  }
}
