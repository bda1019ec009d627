/**
 * Namespace URIs and attribute names the XUA verifier works with. Elements are always matched by
 * namespace URI and local name, never by prefix: prefixes are chosen by the sender and mean nothing.
 */
export const NS = {
  /** WS-Security 1.0 header (wsse:Security). */
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  /** SAML 2.0 assertion (SAML core, section 2). */
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  /** XML Signature (ds:Signature and its children). */
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  /** Exclusive C14N: namespace of its InclusiveNamespaces parameter element. */
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  /** HL7 v3: the Role / PurposeOfUse (CE) values XUA puts in attribute values. */
  hl7: 'urn:hl7-org:v3',
  /** XML Schema instance (xsi:nil on an AttributeValue). */
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** The SAML attribute names ITI TF-2 3.40.4.1.2 (XUA) defines, by the identity field they fill. */
export const XUA_ATTRIBUTE = {
  subjectName: 'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
  organization: 'urn:oasis:names:tc:xspa:1.0:subject:organization',
  organizationId: 'urn:oasis:names:tc:xspa:1.0:subject:organization-id',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  purposeOfUse: 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
  resourceId: 'urn:oasis:names:tc:xacml:2.0:resource:resource-id',
  homeCommunityId: 'urn:ihe:iti:xca:2010:homeCommunityId',
} as const;
