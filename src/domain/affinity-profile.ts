/** The affinity domain's configuration the registry rules read: OIDs, identifier systems, code sets, limits. */
export interface AffinityProfile {
  homeCommunityId: string;
  repositoryUniqueId: string;
  patientIdAuthority: string;
  /** FHIR identifier system URI -> assigning authority OID. */
  patientIdSystems: Record<string, string>;
  codeValidation: 'strict' | 'lenient';
  /** Attribute -> accepted coding-scheme OIDs ('*' accepts any scheme). */
  codeSets: Record<string, string[]>;
  confidentialityCodes: string[];
  queryMaxResults: number;
}
