/**
 * The community port for a foreign country's NCP (a directory entry with `ehdsi`): XCA ITI-38 /
 * ITI-39 with this NCP's signed HCP assertion for the caller (hcp-of-caller.ts) and a TRC for
 * the foreign patient the request is about. The patient is the one a FindDocuments query names
 * (the id the NCP gave at identification, `id^^^&OID&ISO`); a request naming only documents
 * (GetDocuments, ITI-39) takes the patient those documents were found for. Other queries, or a
 * query about several patients, are refused: an NCP answers about one identified patient.
 * Patient Summaries and ePrescriptions are small CDA documents: a retrieved document is read
 * whole before the answer is released.
 */
import { Readable } from 'node:stream';
import type { Element } from '@xmldom/xmldom';
import { collectBytes } from '../../../bytes';
import type { Community } from '../../../communities/community';
import { httpCall } from '../../../communities/http-call';
import { CommunityCallError, type CallerIdentity, type CommunityTransport, type RemoteDocumentRequest, type RemoteQueryAnswer, type RemoteRetrieveAnswer } from '../../../communities/ports';
import type { StoredQuery } from '../../../domain/stored-queries';
import type { EhdsiAssertionIssuer } from '../../../security/ehdsi';
import type { InboundSoapMessage } from '../../../soap';
import { ITI_38, ITI_39 } from '../../../transactions';
import { XDS_NS } from '../../../xds/namespaces';
import { adhocQueryRequest } from '../../../xds/outbound/adhoc-query-request';
import { readAdhocQueryResponse } from '../../../xds/outbound/adhoc-query-response';
import { readRetrieveDocumentSetResponse, retrieveDocumentSetRequest } from '../../../xds/outbound/retrieve-document-set';
import { exchange, NcpCallError, type HttpPost } from '../soap-exchange';
import { HcpAssertions } from './hcp-assertions';
import { hcpOfCaller, type HcpDefaults } from './hcp-of-caller';
import { PatientsOfDocuments } from './patients-of-documents';

export interface EhdsiTransportOptions {
  issuer: EhdsiAssertionIssuer;
  hcpDefaults: HcpDefaults;
}

function refuse(community: Community, what: string): never {
  throw new CommunityCallError(`${community.homeCommunityId} (NCP ${community.ehdsi?.country ?? '?'}): ${what}`, false);
}

/** The HTTP leg: the community's mutual TLS agent, bounded by the caller's signal. */
function postWithin(community: Community, signal: AbortSignal): HttpPost {
  return async (url, body, headers) => {
    const res = await httpCall(community, url, { method: 'POST', headers, body, signal });
    return { status: res.statusCode ?? 0, headers: res.headers, body: res };
  };
}


export class EhdsiTransport implements CommunityTransport {
  private readonly patients = new PatientsOfDocuments();
  private readonly hcps: HcpAssertions;

  constructor(private readonly options: EhdsiTransportOptions) {
    this.hcps = new HcpAssertions(options.issuer);
  }

  async query(community: Community, query: StoredQuery, identity: CallerIdentity, signal: AbortSignal): Promise<RemoteQueryAnswer> {
    const xca = this.endpoints(community);
    const patientId = this.patientOfQuery(community, query);
    const answer = await this.call(() =>
      exchange(
        postWithin(community, signal),
        { url: xca.queryUrl, action: ITI_38.soap.request, securityHeader: this.securityHeader(community, identity, patientId), body: adhocQueryRequest(query, community.homeCommunityId), expected: { ns: XDS_NS.query, local: 'AdhocQueryResponse' } },
        (body: Element) => readAdhocQueryResponse(body),
      ),
    );
    for (const o of answer.objects) {
      if (o.kind === 'DocumentEntry') this.patients.remember(community.homeCommunityId, o.uniqueId, o.patientId || patientId);
    }
    return answer;
  }

  async retrieve(community: Community, documents: readonly RemoteDocumentRequest[], identity: CallerIdentity, signal: AbortSignal): Promise<RemoteRetrieveAnswer> {
    const xca = this.endpoints(community);
    const patientId = this.onePatient(community, documents.map((d) => d.documentUniqueId));
    const read = await this.call(() =>
      exchange(
        postWithin(community, signal),
        { url: xca.retrieveUrl, action: ITI_39.soap.request, securityHeader: this.securityHeader(community, identity, patientId), body: retrieveDocumentSetRequest(documents), expected: { ns: XDS_NS.xdsb, local: 'RetrieveDocumentSetResponse' } },
        async (body: Element, message: InboundSoapMessage) => {
          const answer = readRetrieveDocumentSetResponse(body, message);
          const docs = [];
          for (const d of answer.documents) docs.push({ ...d, homeCommunityId: d.homeCommunityId ?? community.homeCommunityId, content: await collectBytes(d.open()) });
          return { status: answer.status, errors: answer.errors, docs };
        },
      ),
    );
    return {
      status: read.status,
      errors: read.errors,
      documents: read.docs.map(({ content, open: _open, ...d }) => ({ ...d, open: () => Readable.from([content]) })),
      dispose: async () => undefined,
    };
  }

  private endpoints(community: Community): { queryUrl: string; retrieveUrl: string } {
    if (!community.ehdsi || !community.xca) refuse(community, 'is not an eHDSI NCP with XCA endpoints in the community directory');
    return community.xca;
  }

  private securityHeader(community: Community, identity: CallerIdentity, patientId: string): string {
    if (!identity.professional) refuse(community, 'the caller is unknown: an eHDSI request needs the health professional it is made for');
    const { issuer, hcpDefaults } = this.options;
    const hcp = this.hcps.of(hcpOfCaller(identity.professional, hcpDefaults));
    return issuer.securityHeader(hcp.xml, issuer.trcAssertion(hcp, patientId).xml);
  }

  private patientOfQuery(community: Community, query: StoredQuery): string {
    if (query.name === 'FindDocuments') {
      const ids = query.documents.patientIds ?? [];
      if (ids.length !== 1) refuse(community, 'FindDocuments must name exactly one foreign patient (the id the NCP gave at identification)');
      return ids[0]!;
    }
    if (query.name === 'GetDocuments' && query.documentIds.by === 'uniqueId') return this.onePatient(community, query.documentIds.values);
    return refuse(community, `answers FindDocuments for one patient and GetDocuments by uniqueId only, not ${query.name}`);
  }

  private onePatient(community: Community, documentUniqueIds: readonly string[]): string {
    const patients = new Set(documentUniqueIds.map((id) => this.patients.patientOf(community.homeCommunityId, id)));
    if (patients.has(undefined)) refuse(community, 'a document was not found here for an identified patient: find the patient\'s documents first');
    if (patients.size !== 1) refuse(community, 'the documents belong to several patients: ask for one patient\'s documents at a time');
    return [...patients][0]!;
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof NcpCallError) throw new CommunityCallError(err.message, err.transient, { cause: err });
      throw err;
    }
  }
}
