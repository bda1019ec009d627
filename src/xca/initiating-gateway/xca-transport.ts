/**
 * The XCA Initiating Gateway's calls to a Responding Gateway: ITI-38 Cross Gateway Query and
 * ITI-39 Cross Gateway Retrieve, SOAP 1.2 with WS-Addressing, over HTTPS with the community's
 * client certificate and CA (communities/http-call.ts). The caller's identity goes along as
 * the community's directory entry says: the caller's XUA assertion in a wsse:Security header
 * (saml-forward) or the gateway's own bearer token (client-credentials). Messages are built
 * and read with the shared SOAP layer and ebRIM codec; a retrieved document streams from the
 * MTOM response to whoever reads it.
 */
import os from 'node:os';
import { ClientCredentialsTokens } from '../../communities/client-credentials';
import type { Community } from '../../communities/community';
import { callError, httpCall } from '../../communities/http-call';
import { CommunityCallError, type CallerIdentity, type CommunityTransport, type RemoteDocumentRequest, type RemoteQueryAnswer, type RemoteRetrieveAnswer } from '../../communities/ports';
import type { StoredQuery } from '../../domain/stored-queries';
import { attr, el, NS, parseEnvelope, parseFault, parseXml, readSoapMessage, renderEnvelope, requestAddressingHeaders, type InboundSoapMessage, type XmlContent } from '../../soap';
import type { Element } from '@xmldom/xmldom';
import { ITI_38, ITI_39 } from '../../transactions';
import { XDS_NS } from '../../xds/namespaces';
import { adhocQueryRequest } from '../../xds/outbound/adhoc-query-request';
import { readAdhocQueryResponse } from '../../xds/outbound/adhoc-query-response';
import { readRetrieveDocumentSetResponse, retrieveDocumentSetRequest } from '../../xds/outbound/retrieve-document-set';

interface Reply {
  message: InboundSoapMessage;
  payload: Element;
}

export interface XcaTransportOptions {
  /** Where MTOM parts read out of order wait (default: the OS temp directory). */
  spoolDir?: string;
}

/** The wsse:Security header carrying the caller's assertion, as received (its signature must stay intact). */
function securityHeader(identity: CallerIdentity): XmlContent[] {
  if (!identity.samlAssertion) return [];
  const assertion = parseXml(identity.samlAssertion).documentElement;
  if (!assertion) return [];
  return [el(NS.wsse, 'wsse:Security', {}, attr(NS.soap12, 'env:mustUnderstand', 'true'), assertion)];
}

export class XcaTransport implements CommunityTransport {
  private readonly tokens = new ClientCredentialsTokens();

  constructor(private readonly options: XcaTransportOptions = {}) {}

  async query(community: Community, query: StoredQuery, identity: CallerIdentity, signal: AbortSignal): Promise<RemoteQueryAnswer> {
    const url = this.endpoint(community, 'queryUrl');
    const reply = await this.send(community, url, ITI_38.soap, adhocQueryRequest(query, community.homeCommunityId), identity, signal, { local: 'AdhocQueryResponse', ns: XDS_NS.query });
    try {
      return readAdhocQueryResponse(reply.payload);
    } finally {
      await reply.message.dispose();
    }
  }

  async retrieve(community: Community, documents: readonly RemoteDocumentRequest[], identity: CallerIdentity, signal: AbortSignal): Promise<RemoteRetrieveAnswer> {
    const url = this.endpoint(community, 'retrieveUrl');
    // The deadline covers the answer's envelope; the documents then stream for as long as they take.
    const reply = await this.send(community, url, ITI_39.soap, retrieveDocumentSetRequest(documents), identity, signal, { local: 'RetrieveDocumentSetResponse', ns: XDS_NS.xdsb }, true);
    try {
      const answer = readRetrieveDocumentSetResponse(reply.payload, reply.message);
      return {
        status: answer.status,
        errors: answer.errors,
        documents: answer.documents.map((d) => ({ ...d, homeCommunityId: d.homeCommunityId ?? community.homeCommunityId })),
        dispose: () => reply.message.dispose(),
      };
    } catch (err) {
      await reply.message.dispose();
      throw new CommunityCallError(`${community.homeCommunityId} answered ITI-39 with a message that is no RetrieveDocumentSetResponse: ${(err as Error).message}`, false);
    }
  }

  private endpoint(community: Community, which: 'queryUrl' | 'retrieveUrl'): string {
    if (!community.xca) throw new CommunityCallError(`${community.homeCommunityId} has no XCA endpoint in the community directory`, false);
    return community.xca[which];
  }

  private async send(
    community: Community,
    url: string,
    binding: { request: string; response: string },
    payload: XmlContent,
    identity: CallerIdentity,
    signal: AbortSignal,
    expected: { local: string; ns: string },
    streamsBody = false,
  ): Promise<Reply> {
    const what = `${community.homeCommunityId} ${binding.request}`;
    const { headers } = requestAddressingHeaders({ action: binding.request, to: url });
    const envelope = renderEnvelope({ headers: [...headers, ...(community.auth.type === 'saml-forward' ? securityHeader(identity) : [])], body: [payload] });
    // The request's own signal: the caller's deadline until the envelope of the answer is read, then (retrieve) let go.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const token = await this.tokens.tokenFor(community, controller.signal);
      const res = await httpCall(community, url, {
        method: 'POST',
        headers: {
          'content-type': `application/soap+xml; charset=UTF-8; action="${binding.request}"`,
          accept: 'application/soap+xml, multipart/related',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: envelope,
        signal: controller.signal,
      });
      let message: InboundSoapMessage;
      try {
        message = await readSoapMessage(res, res.headers, { spoolDir: this.options.spoolDir ?? os.tmpdir() });
      } catch (err) {
        res.destroy();
        if (controller.signal.aborted) throw callError(err, what, controller.signal);
        throw new CommunityCallError(`${what}: HTTP ${res.statusCode} with an unreadable answer: ${(err as Error).message}`, false);
      }
      try {
        const env = parseEnvelope(message.document);
        const body = env.bodyElements[0];
        if (body && body.namespaceURI === NS.soap12 && body.localName === 'Fault') {
          const fault = parseFault(body);
          throw new CommunityCallError(`${what}: SOAP fault ${fault.code}${fault.subcodes.length ? ` (${fault.subcodes.map((s) => s.local).join('/')})` : ''}: ${fault.message}`, false);
        }
        if (res.statusCode !== 200 || !body || body.namespaceURI !== expected.ns || body.localName !== expected.local) {
          throw new CommunityCallError(`${what}: HTTP ${res.statusCode} without a ${expected.local}`, false);
        }
        if (!streamsBody) await message.complete();
        return { message, payload: body };
      } catch (err) {
        await message.dispose();
        if (err instanceof CommunityCallError) throw err;
        throw controller.signal.aborted ? callError(err, what, controller.signal) : new CommunityCallError(`${what}: ${(err as Error).message}`, false);
      }
    } catch (err) {
      throw callError(err, what, controller.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
