/**
 * The consumer's identity as an Initiating Gateway forwards it: the XUA assertion of the
 * request's wsse:Security header, as received (the security layer has verified it already;
 * its signature only stays valid byte for byte as the issuer wrote it).
 */
import type { CallerIdentity } from '../../communities/ports';
import { elementChildren, NS, serializeXml, type SoapRequest } from '../../soap';

const SAML2 = 'urn:oasis:names:tc:SAML:2.0:assertion';

export function callerIdentityOf(request: SoapRequest): CallerIdentity {
  const security = request.envelope.headerBlocks.find((h) => h.ns === NS.wsse && h.local === 'Security');
  const assertion = security && elementChildren(security.element).find((e) => e.namespaceURI === SAML2 && e.localName === 'Assertion');
  return assertion ? { samlAssertion: serializeXml(assertion) } : {};
}
