/** What the search translators need to know about this gateway, taken once per request. */
import type { CommunityFanOut } from '../../../communities/fan-out';
import type { DocumentEntry } from '../../../domain/metadata';
import type { Registry } from '../../../registry/registry';
import type { MhdMapping, Terminology } from '../mapping';
import type { KnownCommunities } from './home-community';

export interface SearchDeps {
  registry: Registry;
  mapping: MhdMapping;
  /** Other communities (`hcid`); absent: this community only. */
  communities?: CommunitySearchDeps;
}

export interface CommunitySearchDeps {
  known: KnownCommunities;
  fanOut: CommunityFanOut;
  /** Told what the other communities now say of their documents (a cached copy that disagrees is dropped). */
  observe?: (documents: readonly DocumentEntry[]) => Promise<void>;
  /** Told which communities a search asked and how each answered (the audit record names them). */
  onAsked?: (asked: ReadonlyArray<{ homeCommunityId: string; outcome: string }>) => void;
}

export interface SearchContext {
  terminology: Terminology;
  /** Assigning authority (OID) of the affinity domain's patient identifiers: PATIENT_ID_AUTHORITY. */
  patientAuthority: string;
  /** This community (urn:oid:…). */
  homeCommunityId: string;
}

export function searchContext(deps: SearchDeps): SearchContext {
  const options = deps.registry.options;
  return {
    terminology: deps.mapping.terminology,
    // The registry's accepted authorities start with PATIENT_ID_AUTHORITY (config.ts).
    patientAuthority: options.patientPolicy.acceptedAuthorities[0] ?? options.profile.patientIdAuthority,
    homeCommunityId: options.homeCommunityId,
  };
}
