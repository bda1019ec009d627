/**
 * The eHDSI SAML profile's names (eHDSI "SAML HCP Identity Assertion" and "SAML TRC Assertion"
 * specifications, as MyHealth@EU NCPs exchange them): which assertion is which, the audience
 * every NCP accepts, the attributes read and written. Facts of the profile, kept in one place.
 */
import { XUA_ATTRIBUTE } from '../saml';

/** Issuer/@NameQualifier: the one marker that tells the assertion kinds apart. */
export const EHDSI_ASSERTION = {
  hcp: 'urn:ehdsi:assertions:hcp',
  trc: 'urn:ehdsi:assertions:trc',
  /** Next-of-kin assertion: not supported here; a message carrying one is refused. */
  nok: 'urn:ehdsi:assertions:nok',
} as const;

/** The audience of HCP and TRC assertions exchanged between NCPs. */
export const EHDSI_AUDIENCE = 'urn:ehdsi:assertions.audience:x-border';

export const EHDSI_ATTRIBUTE = {
  ...XUA_ATTRIBUTE,
  /** The HCP's point of care (when no organisation is given). */
  locality: 'urn:oasis:names:tc:xspa:1.0:environment:locality',
  facilityType: 'urn:ehdsi:names:subject:healthcare-facility-type',
  /** Older profile versions' name of the facility type. */
  facilityTypeLegacy: 'urn:epsos:names:wp3.4:subject:healthcare-facility-type',
  permission: 'urn:oasis:names:tc:xspa:1.0:subject:hl7:permission',
  /** TRC patient id of the older profile versions (XACML 1.0 resource-id); current ones use subject-id. */
  resourceIdXacml1: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
} as const;

/** eHDSI purposes of use (code system "eHDSI XSPA PurposeOfUse"). */
export const EHDSI_PURPOSES = ['TREATMENT', 'EMERGENCY'] as const;
export type EhdsiPurposeOfUse = (typeof EHDSI_PURPOSES)[number];
export const EHDSI_PURPOSE_CODE_SYSTEM = '3bc18518-d305-46c2-a8d6-94bd59856e9e';
export const EHDSI_PURPOSE_CODE_SYSTEM_NAME = 'eHDSI XSPA PurposeOfUse';

/** HCP roles are ISCO-08 occupations. */
export const ISCO_08 = '2.16.840.1.113883.2.9.6.2.7';

/** eHDSI healthcare facility types. */
export const EHDSI_FACILITY_TYPES = ['Hospital', 'Resident Physician', 'Pharmacy', 'Other'] as const;

export const SUBJECT_CONFIRMATION = {
  senderVouches: 'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches',
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
} as const;

export const AUTHN_CONTEXT = {
  /** The HCP authenticated at the point of care (a smart card, say). */
  smartcard: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
  /** The TRC rests on the HCP's earlier authentication. */
  previousSession: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PreviousSession',
} as const;

/** The lifetimes the profile sets: HCP assertion at most 4 hours, TRC at most 2 hours. */
export const MAX_LIFETIME_MS = { hcp: 4 * 3600_000, trc: 2 * 3600_000 } as const;
