/**
 * The DICOM event ID of a stored AuditEvent: what its syslog copy (dicom-xml.ts) carries as
 * EventID and what an ITI-81 `type=` search also finds it by. A BALP event (type rest) of one of
 * our RESTful transactions takes the DICOM type ITI TF-2 gives that kind of exchange (Query for
 * ITI-66/67, Export for a served ITI-68, Patient Record for ITI-104); any other event keeps its
 * own type.
 */
import { descriptorOf, TRANSACTIONS, type TransactionId } from '../transactions';
import { AgentType, EventType, IHE_EVENT_TYPE, RESTFUL_INTERACTION } from './codes';
import type { AuditEvent, Coding, Reference } from './fhir-audit-event';
import { eventShape, type AuditTransaction } from './transactions';

function isAuditedTransaction(code: string | undefined): code is AuditTransaction {
  return code !== undefined && Object.hasOwn(TRANSACTIONS, code) && descriptorOf(code as TransactionId).audit !== undefined;
}

const sameReference = (a: Reference | undefined, b: Reference | undefined) => a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** BALP's server is the Destination Role ID, or the Source Role ID of a read; it is this gateway when it is the audit source. */
function servedHere(event: AuditEvent, interaction: string | undefined): boolean {
  const serverType = interaction === 'read' ? AgentType.Source.code : AgentType.Destination.code;
  const server = event.agent.find((a) => a.type?.coding?.some((c) => c.code === serverType));
  return sameReference(server?.who, event.source.observer);
}

export function isRestEvent(event: Pick<AuditEvent, 'type'>): boolean {
  return event.type.system === EventType.Rest.system && event.type.code === EventType.Rest.code;
}

export function dicomEventType(event: AuditEvent): Coding {
  if (!isRestEvent(event)) return event.type;
  const transaction = event.subtype?.find((s) => s.system === IHE_EVENT_TYPE)?.code;
  if (!isAuditedTransaction(transaction)) return event.type;
  const interaction = event.subtype?.find((s) => s.system === RESTFUL_INTERACTION)?.code;
  return eventShape(transaction, servedHere(event, interaction) ? 'served' : 'initiated').type;
}
