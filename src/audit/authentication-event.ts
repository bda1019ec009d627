/**
 * A refused authentication (bad or missing token, SAML assertion or client certificate) as a
 * DICOM "User Authentication / Login" event with a minor-failure outcome (BALP, DICOM PS3.15
 * A.5.3.11): who tried, as far as the rejected credential claims, and from where. No
 * transaction ran, so none of the transaction-centred parts of buildAuditEvent apply.
 */
import { randomUUID } from 'node:crypto';
import { networkOf } from './agents';
import type { AuditContext } from './audit-input';
import { AgentType, APPLICATION_SERVER, AuthenticationSubtype, EventType } from './codes';
import type { AuditEvent } from './fhir-audit-event';
import type { AuthenticationFailure } from '../security/authentication-failure';

export function authenticationFailureEvent(failure: AuthenticationFailure, ctx: AuditContext): AuditEvent {
  const network = failure.address ? { network: networkOf(failure.address) } : {};
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: EventType.UserAuthentication,
    subtype: [AuthenticationSubtype.Login],
    action: 'E',
    recorded: (failure.recorded ?? new Date()).toISOString(),
    outcome: '4',
    outcomeDesc: `${failure.mechanism}: ${failure.reason}`,
    agent: [
      { type: { coding: [AgentType.ResponsibleParty] }, who: { identifier: { value: failure.claimedSubject ?? 'unknown' } }, requestor: true, ...network },
      { type: { coding: [AgentType.Destination] }, who: { identifier: { value: failure.endpoint ?? ctx.sourceId } }, requestor: false, network: networkOf(ctx.hostname) },
    ],
    source: { site: ctx.enterpriseSiteId, observer: { identifier: { value: ctx.sourceId } }, type: [APPLICATION_SERVER] },
  };
}
