/**
 * Canonical URLs and codes of IHE MHD 4.2 (FHIR R4), checked against the IHE/ITI.MHD
 * sources at tag 4.2.3 (https://profiles.ihe.net/ITI/MHD). The homeCommunityId
 * extension comes from the CP merged for 4.2.4; the Czech HIE guide defines its own,
 * which is read as well so Czech senders are understood.
 */

const MHD = 'https://profiles.ihe.net/ITI/MHD';
const SD = `${MHD}/StructureDefinition`;

/** The three ITI-65 metadata options (no option = Minimal). */
export type MhdOption = 'Minimal' | 'UnContainedComprehensive' | 'Comprehensive';

export const Profiles = {
  Bundle: {
    Minimal: `${SD}/IHE.MHD.Minimal.ProvideBundle`,
    UnContainedComprehensive: `${SD}/IHE.MHD.UnContained.Comprehensive.ProvideBundle`,
    Comprehensive: `${SD}/IHE.MHD.Comprehensive.ProvideBundle`,
  },
  DocumentReference: {
    Minimal: `${SD}/IHE.MHD.Minimal.DocumentReference`,
    UnContainedComprehensive: `${SD}/IHE.MHD.UnContained.Comprehensive.DocumentReference`,
    Comprehensive: `${SD}/IHE.MHD.Comprehensive.DocumentReference`,
  },
  SubmissionSet: {
    Minimal: `${SD}/IHE.MHD.Minimal.SubmissionSet`,
    UnContainedComprehensive: `${SD}/IHE.MHD.UnContained.Comprehensive.SubmissionSet`,
    Comprehensive: `${SD}/IHE.MHD.Comprehensive.SubmissionSet`,
  },
  // MHD defines no UnContained Folder: containment never applies to folders.
  Folder: {
    Minimal: `${SD}/IHE.MHD.Minimal.Folder`,
    UnContainedComprehensive: `${SD}/IHE.MHD.Comprehensive.Folder`,
    Comprehensive: `${SD}/IHE.MHD.Comprehensive.Folder`,
  },
  ProvideBundleResponse: `${SD}/IHE.MHD.ProvideDocumentBundleResponse`,
} as const;

export const Extensions = {
  sourceId: `${SD}/ihe-sourceId`,
  designationType: `${SD}/ihe-designationType`,
  intendedRecipient: `${SD}/ihe-intendedRecipient`,
  authorOrg: `${SD}/ihe-authorOrg`,
  homeCommunityId: `${SD}/ihe-HomeCommunityId`,
  /** HL7 Czech HIE guide: valueIdentifier holding urn:oid:… */
  czHomeCommunityId: 'https://hl7.cz/fhir/hie/StructureDefinition/cz-mhd-home-community-id',
} as const;

/** Short names used in error locations, e.g. `extension:designationType`. */
export const EXTENSION_SLICES: Readonly<Record<string, string>> = {
  sourceId: Extensions.sourceId,
  designationType: Extensions.designationType,
  intendedRecipient: Extensions.intendedRecipient,
  authorOrg: Extensions.authorOrg,
  homeCommunityId: Extensions.homeCommunityId,
};

export const ListTypes = {
  system: `${MHD}/CodeSystem/MHDlistTypes`,
  submissionSet: 'submissionset',
  folder: 'folder',
} as const;

/** Identifier.system for OIDs and UUIDs written as URNs (ITI TF-2 Appendix E.3 / Z.9.1). */
export const URI_SYSTEM = 'urn:ietf:rfc:3986';

/** Identifier.type.coding.system of CXi identifier type codes (urn:ihe:iti:xds:2013:order etc.). */
export const CXI_TYPE_SYSTEM = URI_SYSTEM;

/** CXi type code MHD maps to DocumentReference.context.encounter. */
export const ENCOUNTER_ID_TYPE = 'urn:ihe:iti:xds:2015:encounterId';

const OPTION_ORDER: readonly MhdOption[] = ['Minimal', 'UnContainedComprehensive', 'Comprehensive'];

/**
 * The option a set of meta.profile values declares for one kind of resource, the most
 * demanding one when several are listed. Versioned canonicals (`url|4.2.2`) count too.
 */
export function declaredOption(kind: keyof Omit<typeof Profiles, 'ProvideBundleResponse'>, profiles: unknown): MhdOption | undefined {
  if (!Array.isArray(profiles)) return undefined;
  const listed = new Set(profiles.filter((p): p is string => typeof p === 'string').map((p) => p.split('|')[0]));
  let found: MhdOption | undefined;
  for (const option of OPTION_ORDER) if (listed.has(Profiles[kind][option])) found = option;
  return found;
}

export function isComprehensive(option: MhdOption): boolean {
  return option !== 'Minimal';
}

/** Comprehensive (not UnContained) requires author, authenticator and sourcePatientInfo to be contained. */
export function requiresContained(option: MhdOption): boolean {
  return option === 'Comprehensive';
}
