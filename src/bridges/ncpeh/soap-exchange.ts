/**
 * One SOAP 1.2 request-response with a foreign NCP: WS-Addressing headers (Action and To
 * mustUnderstand, a MessageID, anonymous ReplyTo, as eHDSI requires), the eHDSI wsse:Security
 * header placed into the message text exactly as it was signed, and the answer's body element
 * (a SOAP fault becomes an NcpCallError naming its code). The HTTP leg is a port, so the mutual
 * TLS connection to the NCP is the caller's (a community's agent).
 */
import type { Element } from '@xmldom/xmldom';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import os from 'node:os';
import { NS, PREFIX, parseEnvelope, parseFault, readSoapMessage, renderXml, requestAddressingHeaders, type InboundSoapMessage, type XmlElementSpec, isSpec } from '../../soap';

export interface HttpPost {
  (url: string, body: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Readable }>;
}

export class NcpCallError extends Error {
  constructor(
    message: string,
    /** A retry may succeed (the NCP was unreachable or busy). */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NcpCallError';
  }
}

export interface NcpRequest {
  url: string;
  action: string;
  /** wsse:Security header block text with signed assertions (see security/ehdsi issue.ts). */
  securityHeader: string;
  body: XmlElementSpec;
  /** Expected body element of the answer. */
  expected: { ns: string; local: string };
}

/** The envelope as text: rendered parts around the security header's signed text, which is not touched. */
export function requestEnvelope(r: Pick<NcpRequest, 'url' | 'action' | 'securityHeader' | 'body'>): { messageId: string; xml: string } {
  const { messageId, headers } = requestAddressingHeaders({ action: r.action, to: r.url });
  const env = PREFIX[NS.soap12]!;
  const rendered = headers.filter((h): h is XmlElementSpec => typeof h === 'object' && isSpec(h) && h.kind === 'element').map((h) => renderXml(h));
  return {
    messageId,
    xml:
      `<${env}:Envelope xmlns:${env}="${NS.soap12}" xmlns:wsa="${NS.wsa}"><${env}:Header>${rendered.join('')}${r.securityHeader}</${env}:Header>` +
      `<${env}:Body>${renderXml(r.body)}</${env}:Body></${env}:Envelope>`,
  };
}

/**
 * Sends the request and hands the answer's body element (and the message, for its MTOM parts)
 * to `read`, before the message is released.
 */
export async function exchange<T>(post: HttpPost, r: NcpRequest, read: (body: Element, message: InboundSoapMessage) => T | Promise<T>): Promise<T> {
  const { xml } = requestEnvelope(r);
  let res;
  try {
    res = await post(r.url, xml, { 'content-type': `application/soap+xml; charset=UTF-8; action="${r.action}"`, accept: 'application/soap+xml, multipart/related' });
  } catch (err) {
    // The transport may know better (a refused certificate is no reason to retry).
    const transient = (err as { transient?: unknown }).transient;
    throw new NcpCallError(`${r.action} to ${r.url}: ${(err as Error).message}`, typeof transient === 'boolean' ? transient : true, { cause: err });
  }
  if (res.status === 503) {
    res.body.resume();
    throw new NcpCallError(`${r.action} to ${r.url}: HTTP 503`, true);
  }
  const message = await readSoapMessage(res.body, res.headers, { spoolDir: os.tmpdir() }).catch((err: unknown) => {
    res.body.destroy();
    throw new NcpCallError(`${r.action} to ${r.url}: HTTP ${res.status} with an unreadable answer: ${(err as Error).message}`, false, { cause: err });
  });
  try {
    let body: Element | undefined;
    try {
      body = parseEnvelope(message.document).bodyElements[0];
      if (body && body.namespaceURI === NS.soap12 && body.localName === 'Fault') {
        const fault = parseFault(body);
        throw new NcpCallError(`${r.action} to ${r.url}: SOAP fault ${fault.code}${fault.subcodes.length ? ` (${fault.subcodes.map((s) => s.local).join('/')})` : ''}: ${fault.message}`, false);
      }
    } catch (err) {
      if (err instanceof NcpCallError) throw err;
      throw new NcpCallError(`${r.action} to ${r.url}: HTTP ${res.status} with an answer that is no SOAP 1.2 message: ${(err as Error).message}`, false, { cause: err });
    }
    if (res.status !== 200 || !body || body.namespaceURI !== r.expected.ns || body.localName !== r.expected.local) {
      throw new NcpCallError(`${r.action} to ${r.url}: HTTP ${res.status} without a ${r.expected.local}`, false);
    }
    const result = await read(body, message);
    // A truncated answer fails here, not silently.
    await message.complete();
    return result;
  } finally {
    await message.dispose();
  }
}
