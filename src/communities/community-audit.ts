/**
 * The Initiating Gateway's own audit records: one per call to another community (ITI-38 /
 * ITI-39, initiated; ITI-55 at a foreign NCP), naming that community's endpoint as the destination participant and its
 * homeCommunityId on the query or documents, with the Czech event type of the transaction.
 * The consumer's request to this gateway (ITI-18 / ITI-43) has its record as well, written
 * by the registry and repository as for any local request.
 */
import { Outcome, type AuditDocument, type AuditInput } from '../audit/audit-input';
import type { Principal } from '../domain/principal';
import type { StoredQuery } from '../domain/stored-queries';
import type { Community } from './community';

export interface CommunityAuditTrail {
  record(input: AuditInput): Promise<unknown>;
}

/** What every record of a call to another community has: who asked, for whom, where to, how it ended. */
function callRecord(transaction: 'ITI-38' | 'ITI-39' | 'ITI-55', endpoint: string | undefined, community: Community, principal: Principal, patientId: string | undefined, failure: string | undefined): AuditInput {
  return {
    transaction,
    side: 'initiated',
    outcome: failure === undefined ? Outcome.Success : Outcome.SeriousFailure,
    ...(failure !== undefined ? { outcomeDesc: failure } : {}),
    principal,
    ...(patientId !== undefined ? { patientId } : {}),
    remote: {
      endpoint: endpoint ?? community.homeCommunityId,
      ...(endpoint ? { address: new URL(endpoint).hostname } : {}),
      ...(community.ehdsi ? { country: community.ehdsi.country } : {}),
    },
  };
}

export function queryCallRecord(community: Community, query: StoredQuery, principal: Principal, patientId: string | undefined, failure: string | undefined): AuditInput {
  return {
    ...callRecord('ITI-38', community.xca?.queryUrl, community, principal, patientId, failure),
    query: { text: JSON.stringify(query), storedQueryId: query.queryId, homeCommunityId: community.homeCommunityId },
  };
}

export function retrieveCallRecord(community: Community, documents: readonly AuditDocument[], principal: Principal, patientId: string | undefined, failure: string | undefined): AuditInput {
  return { ...callRecord('ITI-39', community.xca?.retrieveUrl, community, principal, patientId, failure), documents };
}

/** XCPD ITI-55 initiated at a foreign NCP (eHDSI patient identification). */
export function discoveryCallRecord(community: Community, principal: Principal, patientId: string | undefined, failure: string | undefined): AuditInput {
  return callRecord('ITI-55', community.ehdsi?.xcpdUrl, community, principal, patientId, failure);
}
