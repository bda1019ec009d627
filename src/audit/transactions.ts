/**
 * What each IHE transaction's audit message looks like, read from its descriptor
 * (src/transactions: name, kind of exchange, Czech ATC code). The DICOM event type and
 * action depend on which side of the exchange records it, so the descriptor holds the kind
 * of exchange and `eventShape` derives type and action for a side.
 */
import { descriptorOf, type AuditedTransactionId, type AuditShape, type RestInteraction } from '../transactions';
import { atcCoding, EventType, IHE_EVENT_TYPE } from './codes';
import type { AuditAction, Coding } from './fhir-audit-event';

export type AuditTransaction = AuditedTransactionId;

/** 'served': this gateway answered the request; 'initiated': it sent the request to another actor. */
export type AuditSide = 'served' | 'initiated';

function shapeOf(transaction: AuditTransaction): AuditShape {
  return descriptorOf(transaction).audit!;
}

/** Served over FHIR (MHD, PIXm, RESTful ATNA): the gateway is named in its agents as the audit source is. */
export function isFhirTransaction(transaction: AuditTransaction): boolean {
  return descriptorOf(transaction).fhir !== undefined;
}

/**
 * The RESTful interaction a BALP-shaped event records, or undefined for a transaction audited
 * with the DICOM event types of ITI TF-2. `noted` is what the front end knew of the request
 * (a read by id beside a search); a conditional update that created its resource is a create.
 */
export function restInteractionOf(transaction: AuditTransaction, noted: RestInteraction | undefined, action: AuditAction | undefined): RestInteraction | undefined {
  const main = shapeOf(transaction).rest;
  if (!main) return undefined;
  if (noted) return noted;
  return main === 'update' && action === 'C' ? 'create' : main;
}

const REST_ACTION: Record<RestInteraction, AuditAction> = { 'search-type': 'E', read: 'R', create: 'C', update: 'U' };

export function restAction(interaction: RestInteraction): AuditAction {
  return REST_ACTION[interaction];
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
