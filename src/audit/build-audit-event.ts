/**
 * AuditInput -> FHIR R4 AuditEvent. The RESTful transactions (MHD ITI-66/67/68, PIXm ITI-104)
 * take the IHE BALP shape their audit profiles derive from: type audit-event-type#rest, the
 * RESTful interaction and the IHE transaction as subtypes. The others keep the DICOM event
 * types of ITI TF-2 (and MHD's own ITI-65 profile). The Czech HIE guide's ATC_* code is one
 * more subtype on both. The DICOM syslog copy is derived from this event (dicom-xml.ts).
 */
import { randomUUID } from 'node:crypto';
import type { RestInteraction } from '../transactions';
import { agentsOf, gatewayReference, purposesOfUse } from './agents';
import type { AuditContext, AuditInput } from './audit-input';
import { APPLICATION_SERVER, atcCoding, EventType, restInteractionCoding } from './codes';
import { entitiesOf } from './entities';
import { auditProfiles } from './profiles';
import type { AuditAction, AuditEvent, Coding } from './fhir-audit-event';
import { defaultAtcCoding, eventShape, isFhirTransaction, restAction, restInteractionOf, transactionCoding } from './transactions';

function czCoding(input: AuditInput): Coding | undefined {
  if (input.czEventType === null) return undefined;
  return input.czEventType ? atcCoding(input.czEventType) : defaultAtcCoding(input.transaction);
}

interface Shape {
  type: Coding;
  action: AuditAction;
  interaction?: RestInteraction;
}

function shapeOf(input: AuditInput): Shape {
  const interaction = restInteractionOf(input.transaction, input.interaction, input.action);
  if (!interaction) return eventShape(input.transaction, input.side ?? 'served');
  return { type: EventType.Rest, action: restAction(interaction), interaction };
}

/**
 * MHD's ITI-65 audit profiles name the patient and the submission set, and slice entities by
 * type, so a document beside the submission set (a System Object too) would break the profile:
 * the submission set stands for its documents, as in the ITI-41 audit message of ITI TF-2.
 */
function submissionOnly(input: AuditInput): AuditInput {
  if (input.transaction !== 'ITI-65' || !input.submissionSet || !input.documents) return input;
  const { documents: _named, ...rest } = input;
  return rest;
}

export function buildAuditEvent(input: AuditInput, ctx: AuditContext): AuditEvent {
  const side = input.side ?? 'served';
  const shape = shapeOf(input);
  const cz = czCoding(input);
  const purposes = purposesOfUse(input.principal);
  const fhir = isFhirTransaction(input.transaction);
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: shape.type,
    subtype: [...(shape.interaction ? [restInteractionCoding(shape.interaction)] : []), transactionCoding(input.transaction), ...(cz ? [cz] : [])],
    // A BALP event's action is its interaction's; a DICOM one may be refined by the front end.
    action: shape.interaction ? shape.action : (input.action ?? shape.action),
    recorded: (input.recorded ?? new Date()).toISOString(),
    outcome: input.outcome,
    ...(input.outcomeDesc ? { outcomeDesc: input.outcomeDesc } : {}),
    purposeOfEvent: purposes,
    agent: agentsOf(
      {
        principal: input.principal,
        side,
        purposes,
        fhir,
        ...(shape.interaction ? { interaction: shape.interaction } : {}),
        ...(input.endpoint ? { endpoint: input.endpoint } : {}),
        ...(input.remote ? { remote: input.remote } : {}),
      },
      ctx,
    ),
    source: { site: ctx.enterpriseSiteId, observer: gatewayReference(ctx), type: [APPLICATION_SERVER] },
  };
  const entity = entitiesOf(submissionOnly(input), ctx, shape);
  if (entity.length > 0) event.entity = entity;
  const profile = auditProfiles(input.transaction, side, event);
  if (profile.length === 0) return event;
  const { resourceType, id, ...rest } = event;
  return { resourceType, id, meta: { profile }, ...rest };
}
