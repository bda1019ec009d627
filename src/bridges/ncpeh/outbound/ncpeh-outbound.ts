/**
 * This NCP's outbound eHDSI parts from its configuration (undefined when NCPEH_SIGNING_CERT_FILE
 * is unset): the assertion issuer, the community transport for foreign NCPs' directory entries,
 * and the patient identification the doctor-facing $ncp-identify runs.
 */
import type { CommunityAuditTrail } from '../../../communities/community-audit';
import type { CommunityDirectory } from '../../../communities/community-directory';
import { createEhdsiIssuer, type EhdsiAssertionIssuer } from '../../../security/ehdsi';
import { signingKey } from '../../../security/saml';
import { EhdsiTransport } from './ehdsi-transport';
import type { HcpDefaults } from './hcp-of-caller';
import { NcpIdentification } from './ncp-identification';
import type { NcpehOutboundConfig } from '../../../ncpeh-config';

function partsOf(config: NcpehOutboundConfig, homeCommunityId: string): { issuer: EhdsiAssertionIssuer; hcpDefaults: HcpDefaults } {
  const issuer = createEhdsiIssuer({ key: signingKey(config.signingCertPem, config.signingKeyPem), country: config.country, homeCommunityId });
  return { issuer, hcpDefaults: { facilityType: config.facilityType, homeCommunityId } };
}

export function ehdsiTransportOf(config: NcpehOutboundConfig | undefined, homeCommunityId: string): EhdsiTransport | undefined {
  return config ? new EhdsiTransport(partsOf(config, homeCommunityId)) : undefined;
}

export function ncpIdentificationOf(config: NcpehOutboundConfig | undefined, homeCommunityId: string, directory: CommunityDirectory, audit: CommunityAuditTrail): NcpIdentification | undefined {
  return config ? new NcpIdentification({ ...partsOf(config, homeCommunityId), directory, audit, homeCommunityId }) : undefined;
}
