/**
 * Envelopes we answer with, as XML text: a reply carrying the WS-Addressing reply headers, or a fault message
 * (which WS-Addressing relates to the request the same way, and which carries the fault's own
 * header blocks such as env:NotUnderstood).
 */
import { replyAddressingHeaders, type AddressingHeaders } from './addressing';
import { renderEnvelope } from './envelope';
import { faultElement, type SoapFault } from './fault';
import type { XmlContent } from './xml-dom';

export interface ReplyContent {
  /** wsa:Action of the reply, e.g. urn:ihe:iti:2007:RegisterDocumentSet-bResponse. */
  action: string;
  /** Children of env:Body. */
  body: readonly XmlContent[];
  /** Header blocks besides the WS-Addressing ones. */
  headers?: readonly XmlContent[];
}

/** Reply to a request whose addressing headers are `request` (RelatesTo its MessageID, ReplyTo reference parameters echoed). */
export function buildReplyEnvelope(reply: ReplyContent, request: AddressingHeaders): string {
  return renderEnvelope({
    headers: [
      ...replyAddressingHeaders({ action: reply.action, ...(request.messageId !== undefined ? { relatesTo: request.messageId } : {}), ...(request.replyTo ? { replyTo: request.replyTo } : {}) }),
      ...(reply.headers ?? []),
    ],
    body: reply.body,
  });
}

/**
 * Fault message for `fault`. `request` is whatever addressing could be read from the request
 * (nothing when it was not even XML): the fault goes to FaultTo, else ReplyTo (Core 3.4).
 */
export function buildFaultEnvelope(fault: SoapFault, request: AddressingHeaders | undefined): string {
  const to = request?.faultTo ?? request?.replyTo;
  return renderEnvelope({
    headers: [
      ...replyAddressingHeaders({ action: fault.action, ...(request?.messageId !== undefined ? { relatesTo: request.messageId } : {}), ...(to ? { replyTo: to } : {}) }),
      ...fault.headers,
    ],
    body: [faultElement(fault)],
  });
}
