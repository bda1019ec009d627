/** AuditEvent (as the audit trail stores it, audit/agents.ts and entities.ts) -> the row the patient reads. */
import { AgentType, EntityRole, transactionSubtype } from '../audit/codes';
import type { AuditEvent, AuditEventAgent, CodeableConcept } from '../audit/fhir-audit-event';
import { ACCESS_KINDS, type AccessKind, type TrailRow } from './trail-row';

const COMMUNITY_ID_SYSTEM = 'urn:ietf:rfc:3986';

const hasType = (agent: AuditEventAgent, code: string) => agent.type?.coding?.some((c) => c.code === code) ?? false;
const firstDisplay = (concepts: readonly CodeableConcept[] | undefined) => concepts?.flatMap((c) => c.coding ?? []).map((c) => c.display ?? c.code)[0];

function kindOf(event: AuditEvent): AccessKind {
  const code = event.subtype?.find((s) => ACCESS_KINDS.includes(s.code as AccessKind))?.code;
  return (code as AccessKind | undefined) ?? 'OTHER';
}

export function eventRow(event: AuditEvent, communityName: (homeCommunityId: string) => string | undefined): TrailRow {
  const person = event.agent.find((a) => hasType(a, AgentType.ResponsibleParty.code) && a.requestor);
  const org = event.agent.find((a) => hasType(a, AgentType.Provider.code));
  const community = event.agent.find((a) => !a.requestor && a.who?.identifier?.system === COMMUNITY_ID_SYSTEM)?.who?.identifier?.value;
  const purposes = (event.purposeOfEvent ?? []).flatMap((p) => p.coding ?? []).map((c) => c.code).filter((c): c is string => !!c);
  const orgId = org?.who?.identifier?.value;
  const role = firstDisplay(person?.role);
  return {
    id: event.id,
    recorded: event.recorded,
    kind: kindOf(event),
    ...(transactionSubtype(event) ? { transaction: transactionSubtype(event)!.code } : {}),
    ...(person ? { person: person.name ?? person.who?.display ?? person.who?.identifier?.value ?? '' } : {}),
    ...(role ? { role } : {}),
    ...(orgId ? { organization: { id: orgId, ...(org?.who?.display ? { name: org.who.display } : {}) } } : {}),
    ...(community ? { community: communityName(community) ?? community } : {}),
    purposes,
    emergency: purposes.some((p) => p === 'EMER' || p === 'ETREAT'),
    failed: event.outcome !== undefined && event.outcome !== '0',
    documents: (event.entity ?? []).filter((e) => e.role?.code === EntityRole.Report.code).map((e) => e.what?.identifier?.value).filter((v): v is string => !!v),
  };
}
