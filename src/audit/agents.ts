/**
 * AuditEvent agents (BALP / Czech HIE guide): the user behind the request and their
 * organization (from the Principal), the client system, and the gateway itself as the
 * DICOM source or destination role depending on who started the exchange (and, in BALP,
 * on whether it was a read). On SOAP the gateway is named by its endpoint URI (ITI TF-2).
 */
import net from 'node:net';
import { isOid } from '../domain/hl7v2';
import type { Code } from '../domain/metadata';
import type { Principal } from '../domain/principal';
import type { AuditContext, AuditRemote } from './audit-input';
import { AgentType, CZ_PURPOSE_OF_USE } from './codes';
import type { RestInteraction } from '../transactions';
import type { AuditEventAgent, CodeableConcept, Coding, NetworkType, Reference } from './fhir-audit-event';
import type { AuditSide } from './transactions';

/** An XDS/Principal code as a FHIR coding: OID schemes become urn:oid: systems. */
function codingOf(code: Code): Coding {
  return { system: isOid(code.scheme) ? `urn:oid:${code.scheme}` : code.scheme, code: code.code, ...(code.display ? { display: code.display } : {}) };
}

export function networkOf(address: string): { address: string; type: NetworkType } {
  if (net.isIP(address)) return { address, type: '2' };
  return { address, type: /^[a-z][a-z0-9+.-]*:/i.test(address) ? '5' : '1' };
}

const EMERGENCY: Coding = { system: CZ_PURPOSE_OF_USE, code: 'EMER', display: 'Emergentní přístup' };
const NORMAL: Coding = { system: CZ_PURPOSE_OF_USE, code: 'NORM', display: 'Normální přístup' };

/**
 * The principal's purposes of use; break-the-glass adds the Czech EMER code so an
 * emergency access is visible to the patient. The Czech guide requires one, so a principal
 * that states none is recorded as normal access.
 */
export function purposesOfUse(principal: Principal): CodeableConcept[] {
  const codings = (principal.purposeOfUse ?? []).map(codingOf);
  if (principal.emergency && !codings.some((c) => c.system === EMERGENCY.system && c.code === EMERGENCY.code)) codings.push(EMERGENCY);
  if (codings.length === 0) codings.push(NORMAL);
  return codings.map((c) => ({ coding: [c] }));
}

/** The human (or the system account) the request acts for, and their organization. */
function userAgents(principal: Principal, purposes: CodeableConcept[]): AuditEventAgent[] {
  const user: AuditEventAgent = {
    type: { coding: [AgentType.ResponsibleParty] },
    who: { identifier: { value: principal.subject }, ...(principal.displayName ? { display: principal.displayName } : {}) },
    ...(principal.displayName ? { name: principal.displayName } : {}),
    ...(principal.role ? { role: [{ coding: [codingOf(principal.role)] }] } : {}),
    requestor: true,
    purposeOfUse: purposes,
  };
  const org = principal.organization;
  if (!org) return [user];
  return [user, { type: { coding: [AgentType.Provider] }, who: { identifier: { value: org.id }, ...(org.name ? { display: org.name } : {}) }, requestor: false }];
}

function systemAgent(type: Coding, who: string, address: string | undefined): AuditEventAgent {
  return { type: { coding: [type] }, who: { identifier: { value: who } }, requestor: false, ...(address ? { network: networkOf(address) } : {}) };
}

export interface AgentFacts {
  principal: Principal;
  side: AuditSide;
  purposes: CodeableConcept[];
  endpoint?: string;
  remote?: AuditRemote;
  /** Served over FHIR: the gateway's agent names it as source.observer does (MHD / PIXm val-audit-source). */
  fhir?: boolean;
  /** BALP-shaped: the RESTful interaction, which decides the DICOM roles of client and server. */
  interaction?: RestInteraction;
  communities?: readonly AuditRemote[];
}

/**
 * The community the requester acts for, on the requesting side (Source Role ID): for XCA the
 * remote community whose Initiating Gateway asked, named by its homeCommunityId.
 */
function communityAgent(homeCommunityId: string): AuditEventAgent {
  return { type: { coding: [AgentType.Source] }, who: { identifier: { system: 'urn:ietf:rfc:3986', value: homeCommunityId }, display: 'requesting community' }, requestor: false };
}

/** The country a cross-border requester acts from (eHDSI), so the patient's trail says where the request came from. */
function countryAgent(country: string, side: 'requesting' | 'responding' = 'requesting'): AuditEventAgent {
  return { type: { coding: [side === 'requesting' ? AgentType.Source : AgentType.Destination] }, who: { identifier: { system: 'urn:iso:std:iso:3166', value: country }, display: `${side} country` }, requestor: false };
}

/** The gateway as source.observer names it; on FHIR transactions its agent is named the same (val-audit-source). */
export function gatewayReference(ctx: AuditContext): Reference {
  return { identifier: { value: ctx.sourceId } };
}

/** Another community a served request was answered from (MHD routed by homeCommunityId): a participant of the event. */
function respondingCommunityAgent(remote: AuditRemote): AuditEventAgent {
  return {
    type: { coding: [AgentType.Destination] },
    who: { identifier: remote.homeCommunityId ? { system: 'urn:ietf:rfc:3986', value: remote.homeCommunityId } : { value: remote.endpoint } },
    ...(remote.homeCommunityId ? { name: remote.endpoint } : {}),
    requestor: false,
    ...(remote.address ? { network: networkOf(remote.address) } : {}),
  };
}

/**
 * DICOM's convention: the requester is the Source Role ID and the responder the Destination
 * Role ID, whichever way the documents flow. BALP keeps it for every interaction but a read,
 * where the server is the source of the data and the client its destination.
 */
export function agentsOf(facts: AgentFacts, ctx: AuditContext): AuditEventAgent[] {
  const { principal } = facts;
  const read = facts.interaction === 'read';
  const [clientType, serverType] = read ? [AgentType.Destination, AgentType.Source] : [AgentType.Source, AgentType.Destination];
  const gateway = (type: Coding): AuditEventAgent =>
    facts.fhir
      ? { type: { coding: [type] }, who: gatewayReference(ctx), requestor: false, network: networkOf(facts.endpoint ?? ctx.hostname) }
      : systemAgent(type, facts.endpoint ?? ctx.sourceId, ctx.hostname);
  const parties =
    facts.side === 'served'
      ? [
          systemAgent(clientType, principal.clientId ?? principal.address ?? 'unknown', principal.address),
          ...(principal.homeCommunityId ? [communityAgent(principal.homeCommunityId)] : []),
          ...(principal.country ? [countryAgent(principal.country)] : []),
          gateway(serverType),
          ...(facts.communities ?? []).flatMap((c) => [respondingCommunityAgent(c), ...(c.country ? [countryAgent(c.country, 'responding')] : [])]),
        ]
      : [
          gateway(clientType),
          systemAgent(serverType, facts.remote?.endpoint ?? 'unknown', facts.remote?.address),
          // A call to a foreign NCP: the patient's trail names the country asked.
          ...(facts.remote?.country ? [countryAgent(facts.remote.country, 'responding')] : []),
        ];
  return [...userAgents(principal, facts.purposes), ...parties];
}
