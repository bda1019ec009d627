/**
 * What each IHE transaction's audit message looks like, read from its descriptor
 * (src/transactions: name, kind of exchange, Czech ATC code). The DICOM event type and
 * action depend on which side of the exchange records it, so the descriptor holds the kind
 * of exchange and `eventShape` derives type and action for a side.
 */
import { descriptorOf, type AuditedTransactionId, type AuditShape } from '../transactions';
import { atcCoding, EventType, IHE_EVENT_TYPE } from './codes';
import type { AuditAction, Coding } from './fhir-audit-event';

export type AuditTransaction = AuditedTransactionId;

/** 'served': this gateway answered the request; 'initiated': it sent the request to another actor. */
export type AuditSide = 'served' | 'initiated';

function shapeOf(transaction: AuditTransaction): AuditShape {
  return descriptorOf(transaction).audit!;
}

export function transactionCoding(transaction: AuditTransaction): Coding {
  return { system: IHE_EVENT_TYPE, code: transaction, display: descriptorOf(transaction).name };
}

export function defaultAtcCoding(transaction: AuditTransaction): Coding | undefined {
  const { atc } = shapeOf(transaction);
  return atc ? atcCoding(atc) : undefined;
}

/** DICOM event type and the default action for one side of a transaction. */
export function eventShape(transaction: AuditTransaction, side: AuditSide): { type: Coding; action: AuditAction } {
  const served = side === 'served';
  switch (shapeOf(transaction).kind) {
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
