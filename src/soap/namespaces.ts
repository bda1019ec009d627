/** Namespace URIs and well-known URIs of SOAP 1.2, WS-Addressing 1.0 and XOP, with the prefixes we write them with. */

export const NS = {
  /** SOAP 1.2 envelope (SOAP 1.2 Part 1, section 5). */
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  /** SOAP 1.1 envelope: only recognised, to answer env:VersionMismatch. */
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** WS-Addressing 1.0 (W3C Recommendation 2006). */
  wsa: 'http://www.w3.org/2005/08/addressing',
  /** XOP 1.0 (xop:Include). */
  xop: 'http://www.w3.org/2004/08/xop/include',
  /** Describing Media Content of Binary Data in XML (xmime:contentType). */
  xmime: 'http://www.w3.org/2005/05/xmlmime',
  /** The `xml:` prefix (xml:lang on fault reasons). */
  xml: 'http://www.w3.org/XML/1998/namespace',
  /** Namespace of xmlns attributes (DOM setAttributeNS). */
  xmlns: 'http://www.w3.org/2000/xmlns/',
  /** WS-Security 1.0 header: listed so the security layer can declare it understood. */
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
} as const;

/** Prefixes used when we serialise; parsing never relies on prefixes. */
export const PREFIX: Readonly<Record<string, string>> = {
  [NS.soap12]: 'env',
  [NS.wsa]: 'wsa',
  [NS.xop]: 'xop',
  [NS.xmime]: 'xmime',
  [NS.wsse]: 'wsse',
};

/** SOAP 1.2 roles (Part 1, 2.2). A header block without env:role targets the ultimate receiver. */
export const SOAP_ROLE = {
  next: 'http://www.w3.org/2003/05/soap-envelope/role/next',
  none: 'http://www.w3.org/2003/05/soap-envelope/role/none',
  ultimateReceiver: 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver',
} as const;

/** WS-Addressing 1.0 well-known URIs (Core 2.1, 3.1; SOAP Binding 6). */
export const WSA_URI = {
  anonymous: 'http://www.w3.org/2005/08/addressing/anonymous',
  none: 'http://www.w3.org/2005/08/addressing/none',
  reply: 'http://www.w3.org/2005/08/addressing/reply',
  /** [action] of the faults WS-Addressing itself defines. */
  fault: 'http://www.w3.org/2005/08/addressing/fault',
  /** [action] of SOAP-defined faults (VersionMismatch, MustUnderstand, ...) and of faults without a WSDL action. */
  soapFault: 'http://www.w3.org/2005/08/addressing/soap/fault',
} as const;

/** A namespace-qualified name; `prefix` is only a serialisation hint. */
export interface QName {
  ns: string;
  local: string;
  prefix?: string;
}

/** James Clark notation `{ns}local`, the key format of sets of QNames (e.g. understood headers). */
export function clark(ns: string | null | undefined, local: string): string {
  return `{${ns ?? ''}}${local}`;
}
