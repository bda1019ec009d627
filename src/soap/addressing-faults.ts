/**
 * The faults WS-Addressing 1.0 defines (SOAP Binding, 6.4), in their SOAP 1.2 form: Code, a wsa:
 * Subcode (and Subsubcode), the Reason text the binding gives, and the [Details] as children of
 * env:Detail. Their wsa:Action is http://www.w3.org/2005/08/addressing/fault.
 */
import { NS, WSA_URI, type QName } from './namespaces';
import { SoapFault } from './fault';
import { el, qnameText } from './xml-dom';

const wsa = (local: string): QName => ({ ns: NS.wsa, local, prefix: 'wsa' });

/** Subsubcodes of wsa:InvalidAddressingHeader (SOAP Binding 6.4.1). */
export type InvalidHeaderReason =
  | 'InvalidAddress'
  | 'InvalidEPR'
  | 'InvalidCardinality'
  | 'MissingAddressInEPR'
  | 'DuplicateMessageID'
  | 'ActionMismatch'
  | 'OnlyAnonymousAddressSupported'
  | 'OnlyNonAnonymousAddressSupported';

/** The WS-Addressing header a fault is about, e.g. wsa('Action'). */
export function wsaHeader(local: string): QName {
  return wsa(local);
}

function problemHeader(header: QName) {
  const { text, declaration } = qnameText(header);
  return el(NS.wsa, 'wsa:ProblemHeaderQName', {}, declaration, text);
}

/** 6.4.1: a header is present but invalid (wrong cardinality, bad EPR, non-anonymous reply address, ...). */
export function invalidAddressingHeader(header: QName, reason?: InvalidHeaderReason, explanation?: string): SoapFault {
  return new SoapFault({
    code: 'Sender',
    subcodes: reason ? [wsa('InvalidAddressingHeader'), wsa(reason)] : [wsa('InvalidAddressingHeader')],
    reason: `A header representing a Message Addressing Property is not valid and the message cannot be processed${explanation ? `: ${explanation}` : ''}`,
    detail: [problemHeader(header)],
    action: WSA_URI.fault,
  });
}

/** 6.4.2: a required header (wsa:Action; wsa:MessageID when a reply is expected) is missing. */
export function addressingHeaderRequired(header: QName): SoapFault {
  return new SoapFault({
    code: 'Sender',
    subcodes: [wsa('MessageAddressingHeaderRequired')],
    reason: 'A required header representing a Message Addressing Property is not present',
    detail: [problemHeader(header)],
    action: WSA_URI.fault,
  });
}

/** 6.4.4: no handler for the wsa:Action at this endpoint. */
export function actionNotSupported(action: string): SoapFault {
  return new SoapFault({
    code: 'Sender',
    subcodes: [wsa('ActionNotSupported')],
    reason: `The [action] cannot be processed at the receiver: ${action}`,
    detail: [el(NS.wsa, 'wsa:ProblemAction', {}, el(NS.wsa, 'wsa:Action', {}, action))],
    action: WSA_URI.fault,
  });
}

/** 6.4.5: the endpoint cannot take the message now; `retryAfterMs` becomes wsa:RetryAfter. */
export function endpointUnavailable(retryAfterMs?: number): SoapFault {
  return new SoapFault({
    code: 'Receiver',
    subcodes: [wsa('EndpointUnavailable')],
    reason: 'The endpoint is unable to process the message at this time',
    ...(retryAfterMs !== undefined ? { detail: [el(NS.wsa, 'wsa:RetryAfter', {}, String(Math.max(0, Math.round(retryAfterMs))))] } : {}),
    action: WSA_URI.fault,
  });
}
