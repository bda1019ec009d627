// A small SOAP 1.2 client for the tests and benchmarks: sends an envelope plain or as MTOM
// (built with the gateway's own MTOM writer) over node:http and reads the reply with the
// gateway's reader, so attachments of an ITI-43 response can be streamed and checked.
import http from 'node:http';
import { Readable } from 'node:stream';
import type { Element } from '@xmldom/xmldom';
import { parseEnvelope, readSoapMessage, writeMtom, writePlain, type InboundSoapMessage, type OutboundAttachment, type SoapEnvelope } from '../../../src/soap';

export interface SoapReply {
  status: number;
  contentType: string;
  message: InboundSoapMessage;
  envelope: SoapEnvelope;
  /** The first element of env:Body (the response, or env:Fault). */
  payload: Element;
}

export interface SendOptions {
  attachments?: OutboundAttachment[];
  /** MTOM packaging without attachments too (default: MTOM exactly when there are attachments). */
  mtom?: boolean;
  agent?: http.Agent;
  /** More HTTP request headers (Authorization). */
  headers?: Record<string, string>;
  /** Header blocks (markup) added to env:Header, e.g. a wsse:Security with a SAML assertion. */
  soapHeaders?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

/** POSTs `body` as is; resolves once the response headers are in (the body is left to the caller). */
export function postRaw(url: string, body: Buffer | string | Readable, contentType: string, agent?: http.Agent, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'Content-Type': contentType }, ...(agent ? { agent } : {}) }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
    );
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** Reads a SOAP response; call reply.message.dispose() when its attachments are no longer needed. */
export async function readReply(res: RawResponse): Promise<SoapReply> {
  const message = await readSoapMessage(res.body, res.headers as Record<string, string>);
  const envelope = parseEnvelope(message.document);
  const payload = envelope.bodyElements[0];
  if (!payload) throw new Error('the reply has an empty env:Body');
  return { status: res.status, contentType: String(res.headers['content-type']), message, envelope, payload };
}

function post(url: string, text: string, opts: SendOptions): Promise<RawResponse> {
  const envelope = opts.soapHeaders ? text.replace('</env:Header>', `${opts.soapHeaders}</env:Header>`) : text;
  if (opts.soapHeaders && envelope === text) throw new Error('the envelope has no </env:Header> to add header blocks to');
  const attachments = opts.attachments ?? [];
  const packaged = attachments.length > 0 || opts.mtom ? writeMtom(envelope, attachments) : writePlain(envelope);
  return postRaw(url, packaged.body, packaged.contentType, opts.agent, opts.headers);
}

export async function sendSoap(url: string, envelope: string, opts: SendOptions = {}): Promise<SoapReply> {
  return readReply(await post(url, envelope, opts));
}

/** Sends and reads the whole reply as text without parsing it, for load generators that check it by pattern. */
export async function sendSoapText(url: string, envelope: string, opts: SendOptions = {}): Promise<{ status: number; text: string }> {
  const res = await post(url, envelope, opts);
  return { status: res.status, text: (await readAll(res.body)).toString('utf8') };
}

/** Whole stream into one buffer (test documents are small). */
export async function readAll(stream: AsyncIterable<Buffer | Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}
