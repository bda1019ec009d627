/**
 * Outbound eHDSI security: the signed HCP identity assertion and, for requests about a patient,
 * the signed TRC assertion bound to it, inside a wsse:Security header block. The signed
 * assertions are concatenated as text, never re-parsed or re-serialised, so their bytes stay
 * exactly as signed.
 */
import { signAssertion, type AssertionSigningKey } from '../saml';
import { NS } from '../../soap';
import { buildHcpAssertion, buildTrcAssertion, type HcpIdentity } from './build-assertions';
import type { EhdsiPurposeOfUse } from './names';

export interface EhdsiIssuerOptions {
  key: AssertionSigningKey;
  /** ISO 3166 alpha-2 code of this country (CZ): names the issuers urn:idp:CZ:countryB / urn:initgw:CZ:countryB. */
  country: string;
  /** This NCP's homeCommunityId (urn:oid:…), stated in the HCP assertion. */
  homeCommunityId: string;
  now?: () => Date;
}

export interface SignedHcpAssertion {
  id: string;
  xml: string;
  hcp: HcpIdentity;
}

export interface EhdsiAssertionIssuer {
  /** The signed HCP identity assertion of a professional (once per session; reusable until it expires). */
  hcpAssertion(hcp: HcpIdentity): SignedHcpAssertion;
  /** The signed TRC assertion for `patientId` (CX) bound to `hcp`'s assertion. */
  trcAssertion(hcp: SignedHcpAssertion, patientId: string, purposeOfUse?: EhdsiPurposeOfUse): { id: string; xml: string };
  /** A wsse:Security header block with these signed assertions, HCP first. */
  securityHeader(...signedAssertions: readonly string[]): string;
}

export function createEhdsiIssuer(options: EhdsiIssuerOptions): EhdsiAssertionIssuer {
  if (!/^[A-Z]{2}$/.test(options.country)) throw new TypeError(`eHDSI country ${JSON.stringify(options.country)} is not an ISO 3166 alpha-2 code`);
  const now = options.now ?? ((): Date => new Date());
  return {
    hcpAssertion(hcp) {
      const built = buildHcpAssertion(hcp, options.homeCommunityId, { issuer: `urn:idp:${options.country}:countryB`, now: now() });
      return { id: built.id, xml: signAssertion(built.xml, options.key), hcp };
    },
    trcAssertion(hcp, patientId, purposeOfUse) {
      const built = buildTrcAssertion(
        { hcpAssertionId: hcp.id, hcp: hcp.hcp, patientId, purposeOfUse: purposeOfUse ?? hcp.hcp.purposeOfUse },
        { issuer: `urn:initgw:${options.country}:countryB`, now: now() },
      );
      return { id: built.id, xml: signAssertion(built.xml, options.key) };
    },
    securityHeader(...signedAssertions) {
      return `<wsse:Security xmlns:wsse="${NS.wsse}">${signedAssertions.join('')}</wsse:Security>`;
    },
  };
}
