/**
 * A search that asks other communities too (`hcid`, or MHD_DEFAULT_COMMUNITIES=all): each
 * Find query of the plan goes to the local registry (when this community is among those
 * searched) and, through the community fan-out, to the others at once; the objects are merged,
 * local ones first, each with its homeCommunityId (the mapping writes it as the IHE and Czech
 * extensions and into the attachment URL, which routes an ITI-68 back through this gateway).
 * A community that fails or times out becomes an OperationOutcome entry of its own, a warning
 * carrying its homeCommunityId, while the rest is answered. Paging is over the merged list:
 * the other communities answer whole, so each page asks them again.
 */
import { randomUUID } from 'node:crypto';
import type { FanOutResult } from '../../../communities/fan-out';
import { XdsErrorCode } from '../../../domain/error-codes';
import type { Association, DocumentEntry, RegistryObject } from '../../../domain/metadata';
import type { Principal } from '../../../domain/principal';
import type { RegistryErrorDetail } from '../../../domain/registry-error';
import { homeCommunityIdExtensions } from '../mapping/extensions';
import { issue, type OperationOutcome } from '../../http/operation-outcome';
import type { CommunitySearchDeps } from './context';
import type { CommunityRouting } from './home-community';
import type { SearchPlan } from './plan';
import type { Page, PageResult, RegistryReader } from './registry-reads';
import { warning, type SearchIssue } from './search-error';

export interface CommunitySearch extends PageResult {
  issues: SearchIssue[];
  /** One per community that could not be searched. */
  outcomes: CommunityOutcome[];
  /** The communities asked, with how each answered (for the audit record). */
  asked: FanOutResult['communities'];
}

const COMMUNITY_FAILURES = new Set<string>([XdsErrorCode.XDSUnavailableCommunity, XdsErrorCode.XDSUnknownCommunity]);

/** The community's homeCommunityId rides on the OperationOutcome as on a DocumentReference. */
export type CommunityOutcome = OperationOutcome & { extension: ReturnType<typeof homeCommunityIdExtensions> };

function communityOutcome(error: RegistryErrorDetail): CommunityOutcome {
  const code = error.code === XdsErrorCode.XDSUnknownCommunity ? 'not-found' : 'incomplete';
  return { resourceType: 'OperationOutcome', extension: homeCommunityIdExtensions(error.location), issue: [issue('warning', code, `${error.code}: ${error.context}`, 'hcid')] };
}

export async function searchAcrossCommunities(plan: SearchPlan, reader: RegistryReader, page: Page, routing: CommunityRouting, communities: CommunitySearchDeps, principal: Principal, local: string): Promise<CommunitySearch> {
  const { fanOut } = communities;
  if (plan.kind !== 'find') {
    // Reads by identifier name this community's objects; the others are not asked for them.
    const issues = routing.remote.length ? [warning('hcid', `communities ${routing.remote.join(', ')} are not searched by _id or identifier`, 'incomplete')] : [];
    const objects = routing.local && plan.kind === 'ids' ? (await plan.load(reader)).filter(plan.keep) : [];
    return { objects: objects.slice(page.offset, page.offset + page.count), total: objects.length, issues, outcomes: [], asked: [] };
  }
  const [locals, remotes] = await Promise.all([
    routing.local ? Promise.all(plan.requests.map((q) => reader.all(q))) : Promise.resolve([]),
    Promise.all(plan.requests.map((query) => fanOut.query({ requestId: randomUUID(), query, communities: routing.remote, principal }))),
  ]);
  const merged: RegistryObject[] = [
    ...locals.flatMap((r) => r.objects).map((o) => ({ ...o, homeCommunityId: o.homeCommunityId ?? local }) as RegistryObject),
    ...remotes.flatMap((r) => r.objects),
  ];
  const objects = merged.filter((o) => o.kind !== 'Association');
  await communities.observe?.(remotes.flatMap((r) => r.objects).filter((o): o is DocumentEntry & { kind: 'DocumentEntry' } => o.kind === 'DocumentEntry'));
  const remoteAssociations = remotes.flatMap((r) => r.objects).filter((o): o is Association & { kind: 'Association' } => o.kind === 'Association');
  const failures = new Map<string, RegistryErrorDetail>();
  const issues: SearchIssue[] = [];
  for (const e of remotes.flatMap((r) => r.errors)) {
    if (COMMUNITY_FAILURES.has(e.code) && e.location) failures.set(e.location, e);
    else issues.push(warning('hcid', `${e.location ?? 'a community'} answered ${e.severity === 'Error' ? 'with an error' : 'with a warning'}: ${e.code}: ${e.context}`, 'informational'));
  }
  const pageObjects = objects.slice(page.offset, page.offset + page.count);
  const kept = new Set(pageObjects.map((o) => o.entryUuid));
  return {
    objects: pageObjects,
    total: objects.length,
    // Remote objects' associations came with them; the local ones' are read by toResources when absent.
    ...(routing.local ? {} : { outgoing: remoteAssociations.filter((a) => kept.has(a.sourceId)) }),
    issues,
    outcomes: [...failures.values()].map(communityOutcome),
    asked: remotes[0]?.communities ?? [],
  };
}
