/**
 * SOAP 1.2 faults (SOAP 1.2 Part 1, 5.4): the SoapFault error a handler throws, its env:Fault
 * element, and the reverse (a received env:Fault back into a SoapFault, for the XCA initiating
 * gateway and the bridges that call other SOAP services).
 *
 *   <env:Fault>
 *     <env:Code><env:Value>env:Sender</env:Value>
 *       <env:Subcode><env:Value>wsa:InvalidAddressingHeader</env:Value>
 *         <env:Subcode><env:Value>wsa:InvalidCardinality</env:Value></env:Subcode></env:Subcode></env:Code>
 *     <env:Reason><env:Text xml:lang="en">...</env:Text></env:Reason>
 *     <env:Node>?</env:Node> <env:Role>?</env:Role> <env:Detail>...</env:Detail>?
 *   </env:Fault>
 *
 * Code and Subcode values are QNames written as text, so each Value element declares the prefix
 * it uses instead of relying on declarations elsewhere in the message.
 */
import type { Element } from '@xmldom/xmldom';
import { NS, WSA_URI, clark, type QName } from './namespaces';
import { attr, childNamed, childrenNamed, el, elementChildren, qnameFromText, qnameText, simpleText, type XmlContent, type XmlElementSpec } from './xml-dom';

/** The five fault codes SOAP 1.2 defines (Part 1, 5.4.6). */
export type SoapFaultCode = 'VersionMismatch' | 'MustUnderstand' | 'DataEncodingUnknown' | 'Sender' | 'Receiver';
const FAULT_CODES: readonly SoapFaultCode[] = ['VersionMismatch', 'MustUnderstand', 'DataEncodingUnknown', 'Sender', 'Receiver'];

export interface FaultReason {
  text: string;
  /** xml:lang of the env:Text (required by SOAP 1.2). */
  lang: string;
}

export interface SoapFaultInit {
  code: SoapFaultCode;
  /** Subcode chain, outermost first: Code/Subcode/Value, then Code/Subcode/Subcode/Value, ... */
  subcodes?: readonly QName[];
  /** One text (English) or several translations. */
  reason: string | readonly FaultReason[];
  /** env:Node: URI of the node that faulted (omitted = the ultimate receiver). */
  node?: string;
  /** env:Role: the role the faulting node was acting in. */
  role?: string;
  /** Children of env:Detail; no env:Detail when absent. */
  detail?: readonly XmlContent[];
  /** Header blocks the fault message must carry (env:NotUnderstood, env:Upgrade). */
  headers?: readonly XmlContent[];
  /** wsa:Action of the fault message; defaults to WS-Addressing's soap/fault URI. */
  action?: string;
  cause?: unknown;
}

/**
 * A SOAP fault to answer with (thrown by handlers and by the envelope checks) or one received
 * from a peer (parseFault). The message is the first reason text.
 */
export class SoapFault extends Error {
  readonly code: SoapFaultCode;
  readonly subcodes: readonly QName[];
  readonly reasons: readonly FaultReason[];
  readonly node: string | undefined;
  readonly role: string | undefined;
  readonly detail: readonly XmlContent[];
  readonly headers: readonly XmlContent[];
  readonly action: string;

  constructor(init: SoapFaultInit) {
    const reasons = typeof init.reason === 'string' ? [{ text: init.reason, lang: 'en' }] : [...init.reason];
    if (reasons.length === 0) throw new TypeError('a SOAP fault needs at least one reason');
    super(reasons[0]!.text, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SoapFault';
    this.code = init.code;
    this.subcodes = init.subcodes ?? [];
    this.reasons = reasons;
    this.node = init.node;
    this.role = init.role;
    this.detail = init.detail ?? [];
    this.headers = init.headers ?? [];
    this.action = init.action ?? WSA_URI.soapFault;
  }

  /**
   * HTTP status of a fault response (SOAP 1.2 Part 2, 7.5.1.2): env:Sender is the client's
   * fault (400); every other code, MustUnderstand and VersionMismatch included, is 500.
   */
  get httpStatus(): 400 | 500 {
    return this.code === 'Sender' ? 400 : 500;
  }

  /** True when `q` ({ns, local}) appears anywhere in the subcode chain. */
  hasSubcode(q: Pick<QName, 'ns' | 'local'>): boolean {
    return this.subcodes.some((s) => s.ns === q.ns && s.local === q.local);
  }

  static sender(reason: string, subcodes?: readonly QName[], detail?: readonly XmlContent[]): SoapFault {
    return new SoapFault({ code: 'Sender', reason, ...(subcodes ? { subcodes } : {}), ...(detail ? { detail } : {}) });
  }

  static receiver(reason: string, subcodes?: readonly QName[], detail?: readonly XmlContent[]): SoapFault {
    return new SoapFault({ code: 'Receiver', reason, ...(subcodes ? { subcodes } : {}), ...(detail ? { detail } : {}) });
  }
}

/** The header blocks a MustUnderstand fault names (Part 1, 5.4.8): one env:NotUnderstood each. */
export function mustUnderstandFault(notUnderstood: readonly QName[]): SoapFault {
  return new SoapFault({
    code: 'MustUnderstand',
    reason: `header block(s) not understood: ${notUnderstood.map((q) => clark(q.ns, q.local)).join(', ')}`,
    headers: notUnderstood.map((q, i) => el(NS.soap12, 'env:NotUnderstood', { qname: `nu${i}:${q.local}` }, attr(NS.xmlns, `xmlns:nu${i}`, q.ns))),
  });
}

/** Answer to a non-SOAP-1.2 envelope, with the env:Upgrade header listing the envelope we do support (Part 1, 5.4.7). */
export function versionMismatchFault(found: string): SoapFault {
  return new SoapFault({
    code: 'VersionMismatch',
    reason: `expected a SOAP 1.2 Envelope (${NS.soap12}), found ${found}`,
    headers: [el(NS.soap12, 'env:Upgrade', {}, el(NS.soap12, 'env:SupportedEnvelope', { qname: 'env12:Envelope' }, attr(NS.xmlns, 'xmlns:env12', NS.soap12)))],
  });
}

function codeValue(value: QName, rest: readonly QName[]): XmlElementSpec {
  const { text, declaration } = qnameText(value);
  const [next, ...more] = rest;
  return el(NS.soap12, 'env:Subcode', {}, el(NS.soap12, 'env:Value', {}, declaration, text), next && codeValue(next, more));
}

/** The env:Fault element of `fault`, to put in an env:Body. */
export function faultElement(fault: SoapFault): XmlElementSpec {
  const [first, ...rest] = fault.subcodes;
  return el(NS.soap12, 'env:Fault', {},
    el(NS.soap12, 'env:Code', {}, el(NS.soap12, 'env:Value', {}, `env:${fault.code}`), first && codeValue(first, rest)),
    el(NS.soap12, 'env:Reason', {}, ...fault.reasons.map((r) => el(NS.soap12, 'env:Text', {}, attr(NS.xml, 'xml:lang', r.lang), r.text))),
    fault.node !== undefined && el(NS.soap12, 'env:Node', {}, fault.node),
    fault.role !== undefined && el(NS.soap12, 'env:Role', {}, fault.role),
    fault.detail.length > 0 && el(NS.soap12, 'env:Detail', {}, ...fault.detail),
  );
}

function valueQName(container: Element): QName | undefined {
  const value = childNamed(container, NS.soap12, 'Value');
  const text = value && simpleText(value);
  return value && text !== undefined ? qnameFromText(value, text) : undefined;
}

/**
 * Reads a received env:Fault. Throws a TypeError when it is not a SOAP 1.2 fault with a known
 * code and at least one reason; Detail children are kept as DOM elements.
 */
export function parseFault(fault: Element): SoapFault {
  const codeEl = childNamed(fault, NS.soap12, 'Code');
  const code = codeEl && valueQName(codeEl);
  if (!code || code.ns !== NS.soap12 || !FAULT_CODES.includes(code.local as SoapFaultCode)) throw new TypeError('env:Fault without a SOAP 1.2 env:Code/env:Value');
  const subcodes: QName[] = [];
  for (let sub = childNamed(codeEl, NS.soap12, 'Subcode'); sub; sub = childNamed(sub, NS.soap12, 'Subcode')) {
    const q = valueQName(sub);
    if (!q) throw new TypeError('env:Subcode without a resolvable env:Value');
    subcodes.push(q);
  }
  const reasonEl = childNamed(fault, NS.soap12, 'Reason');
  const reasons = (reasonEl ? childrenNamed(reasonEl, NS.soap12, 'Text') : []).map((t) => ({ text: simpleText(t) ?? '', lang: t.getAttributeNS(NS.xml, 'lang') ?? '' }));
  if (reasons.length === 0) throw new TypeError('env:Fault without env:Reason/env:Text');
  const node = childNamed(fault, NS.soap12, 'Node');
  const role = childNamed(fault, NS.soap12, 'Role');
  const detail = childNamed(fault, NS.soap12, 'Detail');
  return new SoapFault({
    code: code.local as SoapFaultCode,
    subcodes,
    reason: reasons,
    ...(node ? { node: (simpleText(node) ?? '').trim() } : {}),
    ...(role ? { role: (simpleText(role) ?? '').trim() } : {}),
    ...(detail ? { detail: elementChildren(detail) } : {}),
  });
}
