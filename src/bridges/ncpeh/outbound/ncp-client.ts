/**
 * A Czech doctor's cross-border request through a foreign NCP, in eHDSI's order:
 *   1. identify the patient (XCPD ITI-55, HCP assertion only) by what that country requires;
 *   2. find the patient's Patient Summary (60591-5) or ePrescriptions (57833-6) (ITI-38
 *      FindDocuments, HCP + TRC for the identified patient);
 *   3. retrieve them (ITI-39, HCP + TRC).
 * The HCP assertion is issued once per session and reused until it expires; every TRC names it.
 * Messages are the shared SOAP layer's and the outbound XCA builders; the HTTP leg (mutual TLS
 * with the NCP's certificates) is the HttpPost the caller gives, e.g. communityPost().
 */
import type { Element } from '@xmldom/xmldom';
import { collectBytes } from '../../../bytes';
import type { StoredQuery } from '../../../domain/stored-queries';
import { StoredQueryId } from '../../../domain/stored-query-catalog';
import type { RegistryObject } from '../../../domain/metadata';
import type { EhdsiAssertionIssuer, EhdsiPurposeOfUse, SignedHcpAssertion } from '../../../security/ehdsi';
import { ITI_38, ITI_39 } from '../../../transactions';
import { XDS_NS } from '../../../xds/namespaces';
import { adhocQueryRequest } from '../../../xds/outbound/adhoc-query-request';
import { readAdhocQueryResponse } from '../../../xds/outbound/adhoc-query-response';
import { readRetrieveDocumentSetResponse, retrieveDocumentSetRequest } from '../../../xds/outbound/retrieve-document-set';
import { exchange, NcpCallError, type HttpPost } from '../soap-exchange';
import { createXcpdClient } from '../xcpd/client';
import { cxOf, type DiscoveredPatient, type Party } from '../xcpd/model';
import type { PatientDiscoveryRequest } from '../xcpd/client';
import type { InboundSoapMessage } from '../../../soap';

/** eHDSI document classes (LOINC). */
export const EHDSI_CLASS = { patientSummary: '60591-5', ePrescription: '57833-6', eDispensation: '60593-1' } as const;
const LOINC = '2.16.840.1.113883.6.1';

/** A foreign NCP as this gateway reaches it. */
export interface NcpEndpoints {
  /** urn:oid:… of the NCP's community. */
  homeCommunityId: string;
  /** Its gateway device / community OIDs for the HL7 v3 wrapper. */
  party: Party;
  xcpdUrl: string;
  queryUrl: string;
  retrieveUrl: string;
}

export interface RetrievedDocument {
  homeCommunityId: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
  mimeType: string;
  content: Buffer;
}

export interface NcpClientOptions {
  post: HttpPost;
  issuer: EhdsiAssertionIssuer;
  /** This gateway as the XCPD sender. */
  self: Party;
}

function cxOfPatient(p: DiscoveredPatient): string {
  const cx = p.identifiers.map(cxOf).find((x) => x !== undefined);
  if (!cx) throw new NcpCallError('the identified patient has no identifier that makes a CX', false);
  return cx;
}


export function createNcpClient(options: NcpClientOptions) {
  const discover = createXcpdClient({ post: options.post, self: options.self });
  const withTrc = (hcp: SignedHcpAssertion, patientId: string, purpose?: EhdsiPurposeOfUse) =>
    options.issuer.securityHeader(hcp.xml, options.issuer.trcAssertion(hcp, patientId, purpose).xml);

  return {
    /** Step 1: the patients the NCP identifies (normally one); `patientId` is then their CX for steps 2 and 3. */
    async identify(ncp: NcpEndpoints, hcp: SignedHcpAssertion, request: PatientDiscoveryRequest): Promise<Array<DiscoveredPatient & { patientId: string }>> {
      const answer = await discover({ url: ncp.xcpdUrl, party: ncp.party }, request, options.issuer.securityHeader(hcp.xml));
      if (answer.code === 'AE' || answer.code === 'QE') throw new NcpCallError(`${ncp.homeCommunityId} could not identify the patient: ${answer.error?.code ?? answer.code} ${answer.error?.text ?? ''}`.trim(), false);
      return answer.patients.map((p) => ({ ...p, patientId: cxOfPatient(p) }));
    },

    /** Step 2: the patient's approved documents of these classes at the NCP. */
    async findDocuments(ncp: NcpEndpoints, hcp: SignedHcpAssertion, patientId: string, classCodes: readonly string[]): Promise<RegistryObject[]> {
      const query: StoredQuery = {
        name: 'FindDocuments',
        queryId: StoredQueryId.FindDocuments,
        returnType: 'LeafClass',
        homeCommunityId: ncp.homeCommunityId,
        metadataLevel: 1,
        documents: {
          patientIds: [patientId],
          statuses: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'],
          objectTypes: ['urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1'],
          classCodes: classCodes.map((code) => ({ code, scheme: LOINC })),
        },
      };
      const answer = await exchange(
        options.post,
        { url: ncp.queryUrl, action: ITI_38.soap.request, securityHeader: withTrc(hcp, patientId), body: adhocQueryRequest(query, ncp.homeCommunityId), expected: { ns: XDS_NS.query, local: 'AdhocQueryResponse' } },
        (body: Element) => readAdhocQueryResponse(body),
      );
      if (answer.status === 'Failure') throw new NcpCallError(`${ncp.homeCommunityId} refused the query: ${answer.errors.map((e) => `${e.code}: ${e.context}`).join('; ')}`, false);
      return answer.objects;
    },

    /** Step 3: the documents' bytes (Patient Summaries and ePrescriptions are small CDA documents: read whole). */
    async retrieve(ncp: NcpEndpoints, hcp: SignedHcpAssertion, patientId: string, documents: ReadonlyArray<{ repositoryUniqueId: string; documentUniqueId: string }>): Promise<RetrievedDocument[]> {
      const request = retrieveDocumentSetRequest(documents.map((d) => ({ homeCommunityId: ncp.homeCommunityId, ...d })));
      return exchange(
        options.post,
        { url: ncp.retrieveUrl, action: ITI_39.soap.request, securityHeader: withTrc(hcp, patientId), body: request, expected: { ns: XDS_NS.xdsb, local: 'RetrieveDocumentSetResponse' } },
        async (body: Element, message: InboundSoapMessage) => {
          const answer = readRetrieveDocumentSetResponse(body, message);
          if (answer.status === 'Failure') throw new NcpCallError(`${ncp.homeCommunityId} returned no document: ${answer.errors.map((e) => `${e.code}: ${e.context}`).join('; ')}`, false);
          const out: RetrievedDocument[] = [];
          for (const d of answer.documents) {
            out.push({ homeCommunityId: d.homeCommunityId ?? ncp.homeCommunityId, repositoryUniqueId: d.repositoryUniqueId, documentUniqueId: d.documentUniqueId, mimeType: d.mimeType, content: await collectBytes(d.open()) });
          }
          return out;
        },
      );
    },
  };
}

export type NcpClient = ReturnType<typeof createNcpClient>;
