/**
 * WS-Addressing 1.0 message addressing properties (Core 3; SOAP Binding 2-3): reading them from
 * the header blocks addressed to us, the checks a synchronous request-response endpoint makes,
 * and the headers of a reply or of an outgoing request.
 *
 * IHE (ITI TF-2 V.3.2) uses WS-Addressing synchronously over HTTP: the reply goes back on the
 * same connection, so replies to a non-anonymous address are refused by default.
 */
import crypto from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { addressingHeaderRequired, invalidAddressingHeader, wsaHeader } from './addressing-faults';
import { targetedHeaders, targetedRoles, type SoapEnvelope } from './envelope';
import { NS, WSA_URI, clark } from './namespaces';
import { attr, childNamed, el, elementChildren, simpleText, type XmlContent } from './xml-dom';

export interface EndpointReference {
  address: string;
  /** Children of wsa:ReferenceParameters: echoed as header blocks in messages to this EPR. */
  referenceParameters: Element[];
}

export interface RelatesTo {
  messageId: string;
  /** RelationshipType; defaults to http://www.w3.org/2005/08/addressing/reply. */
  relationshipType: string;
}

export interface AddressingHeaders {
  action?: string;
  messageId?: string;
  to?: string;
  from?: EndpointReference;
  replyTo?: EndpointReference;
  faultTo?: EndpointReference;
  relatesTo: RelatesTo[];
}

/** The header blocks we understand for mustUnderstand purposes (Core 3.2 properties). */
export const ADDRESSING_HEADERS: readonly string[] = ['Action', 'MessageID', 'To', 'From', 'ReplyTo', 'FaultTo', 'RelatesTo'].map((l) => clark(NS.wsa, l));

const SINGLE = ['Action', 'MessageID', 'To', 'From', 'ReplyTo', 'FaultTo'] as const;
type Single = (typeof SINGLE)[number];

function iriText(element: Element, header: string): string {
  const text = simpleText(element)?.trim();
  if (!text) throw invalidAddressingHeader(wsaHeader(header), 'InvalidAddress', `wsa:${header} must hold an IRI`);
  return text;
}

function endpointReference(element: Element, header: string): EndpointReference {
  const address = childNamed(element, NS.wsa, 'Address');
  if (!address) throw invalidAddressingHeader(wsaHeader(header), 'MissingAddressInEPR', `wsa:${header} has no wsa:Address`);
  const params = childNamed(element, NS.wsa, 'ReferenceParameters');
  return { address: iriText(address, header), referenceParameters: params ? elementChildren(params) : [] };
}

/**
 * Reads the addressing properties from the targeted header blocks. Throws InvalidAddressingHeader
 * for a repeated single-valued header (InvalidCardinality), an EPR without wsa:Address or an
 * empty IRI; presence of required headers is checked by requireRequestAddressing().
 */
export function readAddressing(env: SoapEnvelope, roles: ReadonlySet<string> = targetedRoles()): AddressingHeaders {
  const seen = new Map<Single, Element>();
  const result: AddressingHeaders = { relatesTo: [] };
  for (const h of targetedHeaders(env, roles)) {
    if (h.ns !== NS.wsa) continue;
    if (h.local === 'RelatesTo') {
      const type = h.element.getAttribute('RelationshipType')?.trim();
      result.relatesTo.push({ messageId: iriText(h.element, 'RelatesTo'), relationshipType: type || WSA_URI.reply });
      continue;
    }
    if (!(SINGLE as readonly string[]).includes(h.local)) continue;
    const local = h.local as Single;
    if (seen.has(local)) throw invalidAddressingHeader(wsaHeader(local), 'InvalidCardinality', `more than one wsa:${local}`);
    seen.set(local, h.element);
  }
  const text = (l: Single): string | undefined => {
    const e = seen.get(l);
    return e ? iriText(e, l) : undefined;
  };
  const epr = (l: Single): EndpointReference | undefined => {
    const e = seen.get(l);
    return e ? endpointReference(e, l) : undefined;
  };
  const assign = <K extends keyof AddressingHeaders>(key: K, value: AddressingHeaders[K] | undefined): void => {
    if (value !== undefined) result[key] = value;
  };
  assign('action', text('Action'));
  assign('messageId', text('MessageID'));
  assign('to', text('To'));
  assign('from', epr('From'));
  assign('replyTo', epr('ReplyTo'));
  assign('faultTo', epr('FaultTo'));
  return result;
}

export interface RequestAddressingPolicy {
  /** wsa:MessageID is required when a reply is expected (Core 3.2); IHE always expects one. Default true. */
  requireMessageId?: boolean;
  /** Refuse wsa:ReplyTo / wsa:FaultTo other than anonymous (synchronous HTTP only). Default true. */
  anonymousOnly?: boolean;
}

export type RequestAddressing = AddressingHeaders & { action: string };

/** Checks a request: wsa:Action present, wsa:MessageID present, replies addressed to anonymous. Throws the WS-Addressing fault. */
export function requireRequestAddressing(h: AddressingHeaders, policy: RequestAddressingPolicy = {}): RequestAddressing {
  if (h.action === undefined) throw addressingHeaderRequired(wsaHeader('Action'));
  if ((policy.requireMessageId ?? true) && h.messageId === undefined) throw addressingHeaderRequired(wsaHeader('MessageID'));
  if (policy.anonymousOnly ?? true) {
    for (const key of ['replyTo', 'faultTo'] as const) {
      const address = h[key]?.address;
      if (address !== undefined && address !== WSA_URI.anonymous) {
        const header = key === 'replyTo' ? 'ReplyTo' : 'FaultTo';
        throw invalidAddressingHeader(wsaHeader(header), 'OnlyAnonymousAddressSupported', `wsa:${header} must be ${WSA_URI.anonymous}`);
      }
    }
  }
  return { ...h, action: h.action };
}

/** A fresh message id: a UUID URN, as IHE profiles and most stacks use. */
function newMessageId(): string {
  return `urn:uuid:${crypto.randomUUID()}`;
}

export interface ReplyAddressing {
  action: string;
  /** The request's wsa:MessageID (absent when the request had none). */
  relatesTo?: string;
  /** Defaults to a new UUID URN. */
  messageId?: string;
  /** EPR the reply goes to (the request's FaultTo for faults, else its ReplyTo); its reference parameters are echoed. */
  replyTo?: EndpointReference;
}

/**
 * Headers of a reply (SOAP Binding 2.3 and Core 3.3): wsa:Action (mustUnderstand, as IHE's
 * examples mark it), a new wsa:MessageID, wsa:RelatesTo the request, and each reference parameter
 * of the reply EPR as a header block marked wsa:IsReferenceParameter="true". wsa:To is left out:
 * the destination is anonymous, whose wsa:To may be omitted.
 */
export function replyAddressingHeaders(r: ReplyAddressing): XmlContent[] {
  return [
    el(NS.wsa, 'wsa:Action', {}, attr(NS.soap12, 'env:mustUnderstand', 'true'), r.action),
    el(NS.wsa, 'wsa:MessageID', {}, r.messageId ?? newMessageId()),
    r.relatesTo !== undefined && el(NS.wsa, 'wsa:RelatesTo', {}, r.relatesTo),
    ...referenceParameterHeaders(r.replyTo),
  ].filter((x): x is XmlContent => x !== false);
}

function referenceParameterHeaders(epr: EndpointReference | undefined): XmlContent[] {
  return (epr?.referenceParameters ?? []).map((p) => {
    const copy = p.cloneNode(true) as Element;
    copy.setAttributeNS(NS.wsa, 'wsa:IsReferenceParameter', 'true');
    return copy;
  });
}

export interface RequestAddressingInit {
  action: string;
  to: string;
  /** Defaults to a new UUID URN; read it back from the returned object to match the reply. */
  messageId?: string;
}

/** Headers of an outgoing request (XCA initiating gateway, bridges): Action and To mustUnderstand, ReplyTo anonymous. */
export function requestAddressingHeaders(r: RequestAddressingInit): { messageId: string; headers: XmlContent[] } {
  const messageId = r.messageId ?? newMessageId();
  return {
    messageId,
    headers: [
      el(NS.wsa, 'wsa:Action', {}, attr(NS.soap12, 'env:mustUnderstand', 'true'), r.action),
      el(NS.wsa, 'wsa:MessageID', {}, messageId),
      el(NS.wsa, 'wsa:ReplyTo', {}, el(NS.wsa, 'wsa:Address', {}, WSA_URI.anonymous)),
      el(NS.wsa, 'wsa:To', {}, attr(NS.soap12, 'env:mustUnderstand', 'true'), r.to),
    ],
  };
}
