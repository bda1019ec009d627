/**
 * A local doctor identifies a foreign patient at the patient's country's NCP (XCPD ITI-55,
 * initiated), with this NCP's HCP assertion for the doctor, over the mutual TLS of the NCP's
 * directory entry. Each call is audited as ITI-55 initiated, naming the doctor, the NCP's
 * endpoint and its country. The ids answered are what the doctor then names the patient by in
 * ITI-67 / ITI-18 with the NCP's homeCommunityId.
 */
import { discoveryCallRecord, type CommunityAuditTrail } from '../../../communities/community-audit';
import type { Community } from '../../../communities/community';
import type { CommunityDirectory } from '../../../communities/community-directory';
import { professionalOf } from '../../../communities/ports';
import { AccessDeniedError } from '../../../domain/access-denied';
import type { Principal } from '../../../domain/principal';
import type { EhdsiAssertionIssuer } from '../../../security/ehdsi';
import type { PatientDiscoveryRequest } from '../xcpd/client';
import type { DiscoveredPatient } from '../xcpd/model';
import { communityPost } from './community-post';
import { HcpAssertions } from './hcp-assertions';
import { hcpOfCaller, type HcpDefaults } from './hcp-of-caller';
import { createNcpClient } from './ncp-client';

export interface NcpIdentificationDeps {
  issuer: EhdsiAssertionIssuer;
  hcpDefaults: HcpDefaults;
  directory: CommunityDirectory;
  audit: CommunityAuditTrail;
  /** This gateway's homeCommunityId (urn:oid:…): the XCPD sender. */
  homeCommunityId: string;
}

/** Which NCP: named by its homeCommunityId or by its country. */
export type NcpTarget = { homeCommunityId: string } | { country: string };

export type IdentifiedPatient = DiscoveredPatient & { patientId: string };

const oidOf = (urn: string): string => urn.replace(/^urn:oid:/, '');

export class NcpIdentification {
  private readonly hcps: HcpAssertions;

  constructor(private readonly deps: NcpIdentificationDeps) {
    this.hcps = new HcpAssertions(deps.issuer);
  }

  /** The directory entry of the NCP, or undefined when the directory has none. */
  ncp(target: NcpTarget): Community | undefined {
    if ('homeCommunityId' in target) {
      const c = this.deps.directory.get(target.homeCommunityId);
      return c?.ehdsi ? c : undefined;
    }
    return this.deps.directory.list().find((c) => c.ehdsi?.country === target.country);
  }

  /**
   * Who may identify people abroad: not a patient-context caller, who reaches one patient
   * known here (the person an NCP finds is another record). @throws AccessDeniedError
   */
  requireMayIdentify(principal: Principal): void {
    if (principal.patientId !== undefined) throw new AccessDeniedError('a patient-context token may not identify patients at a foreign NCP', 'a patient-context token may not identify patients at a foreign NCP');
  }

  /** @throws NcpCallError when the NCP cannot be reached or refuses; the audit record is written either way. */
  async identify(community: Community & { ehdsi: NonNullable<Community['ehdsi']> }, principal: Principal, request: PatientDiscoveryRequest): Promise<IdentifiedPatient[]> {
    this.requireMayIdentify(principal);
    const { issuer, hcpDefaults, homeCommunityId } = this.deps;
    const self = oidOf(homeCommunityId);
    const client = createNcpClient({ post: communityPost(community), issuer, self: { deviceId: self, communityId: self } });
    const ncpOid = oidOf(community.homeCommunityId);
    const endpoints = { homeCommunityId: community.homeCommunityId, party: { deviceId: ncpOid, communityId: ncpOid }, xcpdUrl: community.ehdsi.xcpdUrl, queryUrl: community.xca?.queryUrl ?? '', retrieveUrl: community.xca?.retrieveUrl ?? '' };
    const record = (patientId: string | undefined, failure: string | undefined) => this.deps.audit.record(discoveryCallRecord(community, principal, patientId, failure));
    let patients: IdentifiedPatient[];
    try {
      patients = await client.identify(endpoints, this.hcps.of(hcpOfCaller(professionalOf(principal), hcpDefaults)), request);
    } catch (err) {
      await record(undefined, (err as Error).message);
      throw err;
    }
    await record(patients.length === 1 ? patients[0]!.patientId : undefined, undefined);
    return patients;
  }
}
