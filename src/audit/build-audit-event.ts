/**
 * AuditInput -> FHIR R4 AuditEvent following IHE BALP and the transaction's own audit
 * profile (MHD / XDS / XCA), with the Czech HIE guide's ATC_* code as a second subtype.
 */
import { randomUUID } from 'node:crypto';
import { agentsOf, purposesOfUse } from './agents';
import type { AuditContext, AuditInput } from './audit-input';
import { APPLICATION_SERVER, atcCoding } from './codes';
import { entitiesOf } from './entities';
import { auditProfiles } from './profiles';
import type { AuditEvent, Coding } from './fhir-audit-event';
import { defaultAtcCoding, eventShape, transactionCoding } from './transactions';

function czCoding(input: AuditInput): Coding | undefined {
  if (input.czEventType === null) return undefined;
  return input.czEventType ? atcCoding(input.czEventType) : defaultAtcCoding(input.transaction);
}

export function buildAuditEvent(input: AuditInput, ctx: AuditContext): AuditEvent {
  const side = input.side ?? 'served';
  const shape = eventShape(input.transaction, side);
  const cz = czCoding(input);
  const purposes = purposesOfUse(input.principal);
  const entity = entitiesOf(input, ctx, shape.type);
  const profile = auditProfiles(input.transaction, side, { entity });
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    ...(profile.length > 0 ? { meta: { profile } } : {}),
    type: shape.type,
    subtype: cz ? [transactionCoding(input.transaction), cz] : [transactionCoding(input.transaction)],
    action: input.action ?? shape.action,
    recorded: (input.recorded ?? new Date()).toISOString(),
    outcome: input.outcome,
    ...(input.outcomeDesc ? { outcomeDesc: input.outcomeDesc } : {}),
    purposeOfEvent: purposes,
    agent: agentsOf({ principal: input.principal, side, purposes, ...(input.endpoint ? { endpoint: input.endpoint } : {}), ...(input.remote ? { remote: input.remote } : {}), ...(input.communities ? { communities: input.communities } : {}) }, ctx),
    source: { site: ctx.enterpriseSiteId, observer: { identifier: { value: ctx.sourceId } }, type: [APPLICATION_SERVER] },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
