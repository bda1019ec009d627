/**
 * ITI-55 outbound: asks a foreign NCP to identify a patient by the identifiers and
 * demographics that country requires, with the HCP identity assertion (XCPD carries no TRC:
 * the treatment relationship is asserted once the patient is known).
 */
import { randomUUID } from 'node:crypto';
import { exchange, NcpCallError, type HttpPost } from '../soap-exchange';
import { HL7, XCPD_ACTION } from './hl7v3';
import type { Demographics, InstanceIdentifier, Party } from './model';
import { writeQuery } from './query-message';
import { readResponse, type ReadResponse } from './response-message';

export interface PatientDiscoveryRequest {
  identifiers: InstanceIdentifier[];
  demographics: Demographics;
}

export interface XcpdTarget {
  url: string;
  /** The foreign NCP's gateway device and community (OIDs). */
  party: Party;
}

export interface XcpdClientOptions {
  post: HttpPost;
  /** This gateway as sender. */
  self: Party;
  now?: () => Date;
}

export function createXcpdClient(options: XcpdClientOptions) {
  const now = options.now ?? ((): Date => new Date());
  return async function discoverPatient(target: XcpdTarget, request: PatientDiscoveryRequest, securityHeader: string): Promise<ReadResponse> {
    if (request.identifiers.length === 0) throw new TypeError('patient discovery needs at least one identifier');
    const messageId = { root: options.self.deviceId, extension: randomUUID() };
    const body = writeQuery(
      { messageId, queryId: { root: options.self.deviceId, extension: randomUUID() }, sender: options.self, receiver: target.party, identifiers: request.identifiers, demographics: request.demographics },
      now(),
    );
    const answer = await exchange(options.post, { url: target.url, action: XCPD_ACTION.request, securityHeader, body, expected: { ns: HL7, local: 'PRPA_IN201306UV02' } }, readResponse);
    const target_ = answer.targetMessageId;
    if (target_ && (target_.root !== messageId.root || target_.extension !== messageId.extension)) {
      throw new NcpCallError(`the XCPD response acknowledges message ${target_.root}/${target_.extension ?? ''}, not the query sent`, false);
    }
    return answer;
  };
}

export type XcpdClient = ReturnType<typeof createXcpdClient>;
