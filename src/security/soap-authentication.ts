/**
 * SOAP face of the security layer (XUA, ITI-40): the Principal of a SOAP message. A SAML
 * assertion in the message's wsse:Security header names the user (and, through the
 * transport, the client certificate names the system that relays it); a message without one
 * acts as whoever the transport authenticated (token, certificate, AUTH=off). An assertion
 * that fails any check refuses the message: it is never silently ignored in favour of the
 * transport's identity, or a stolen certificate plus a forged assertion would pass.
 */
import type { Element, Node as XmlNode } from '@xmldom/xmldom';
import type { Principal } from '../domain/principal';
import type { RequestCaller } from './request-caller';
import { clark, NS, securityFault, type SoapRequest } from '../soap';
import { AccessDeniedError } from '../domain/access-denied';
import { ehdsiPrincipal, xuaPrincipal } from './principals';
import { XuaError } from './saml';
import { EhdsiSecurityError } from './ehdsi';
import { ITI_55 } from '../transactions';
import type { SecurityLayer } from './security-layer';

const SAML_ASSERTION = clark('urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion');
const WSSE_SECURITY = clark(NS.wsse, 'Security');

function isAssertion(n: XmlNode): boolean {
  return n.nodeType === 1 && clark((n as Element).namespaceURI, (n as Element).localName ?? '') === SAML_ASSERTION;
}

/** Whether an assertion claims to be an eHDSI one (Issuer NameQualifier urn:ehdsi:assertions:…): only selects the verifier, which checks the signed value. */
function isEhdsiAssertion(assertion: Element): boolean {
  const issuer = Array.from(assertion.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === 'Issuer') as Element | undefined;
  return (issuer?.getAttribute('NameQualifier') ?? '').startsWith('urn:ehdsi:assertions:');
}

/** eHDSI requests that need no TRC: patient discovery, where the patient is yet to be identified. */
const WITHOUT_TRC: ReadonlySet<string> = new Set([ITI_55.soap.request]);

/** The NameID the assertion states, unverified: recorded as claimed when the assertion is refused. */
function claimedNameId(assertion: Element | undefined): string | undefined {
  const nameId = assertion?.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'NameID')[0];
  const text = nameId?.textContent?.trim();
  return text ? `${text.slice(0, 200)} (claimed)` : undefined;
}

/**
 * Who sent a SOAP message: the security layer reads the WS-Security header (XUA) or falls
 * back on what the transport established (token, client certificate). Throws a SoapFault when
 * the message cannot be authenticated; it has then recorded the failure in the audit trail.
 */
export interface SoapAuthenticator {
  /** Header blocks it processes (Clark names), so that mustUnderstand="true" on them is honoured. */
  readonly understoodHeaders: readonly string[];
  principalOf(request: SoapRequest, caller: RequestCaller): Promise<Principal>;
}

export class SoapAuthentication implements SoapAuthenticator {
  readonly understoodHeaders = [WSSE_SECURITY];

  constructor(private readonly layer: SecurityLayer) {}

  async principalOf(request: SoapRequest, caller: RequestCaller): Promise<Principal> {
    const headers = request.envelope.headerBlocks.filter((h) => clark(h.ns, h.local) === WSSE_SECURITY);
    const withAssertion = headers.filter((h) => Array.from(h.element.childNodes).some(isAssertion));
    const ehdsi = this.layer.ehdsi;
    const assertions = withAssertion.flatMap((h) => Array.from(h.element.childNodes).filter(isAssertion) as Element[]);
    if (ehdsi && assertions.some(isEhdsiAssertion)) {
      const claimed = claimedNameId(assertions.find(isEhdsiAssertion));
      if (headers.length > 1) return this.refuse(caller, 'more than one wsse:Security header', 'InvalidSecurity', claimed);
      try {
        const identity = ehdsi(withAssertion[0]!.element, { requireTrc: !WITHOUT_TRC.has(request.addressing.action) });
        return ehdsiPrincipal(identity, caller.certificate, caller.address, this.layer.authorities);
      } catch (err) {
        if (err instanceof EhdsiSecurityError) return this.refuse(caller, err.message, err.fault, claimed);
        if (err instanceof AccessDeniedError) return this.refuse(caller, err.message, 'FailedAuthentication', claimed);
        throw err;
      }
    }
    const xua = this.layer.xua;
    if (withAssertion.length > 0 && xua) {
      const claimed = claimedNameId(Array.from(withAssertion[0]!.element.childNodes).find(isAssertion) as Element | undefined);
      if (headers.length > 1) return this.refuse(caller, 'more than one wsse:Security header', 'InvalidSecurity', claimed);
      try {
        const identity = xua(withAssertion[0]!.element);
        return xuaPrincipal(identity, caller.certificate, caller.address, this.layer.authorities);
      } catch (err) {
        if (err instanceof XuaError || err instanceof AccessDeniedError) return this.refuse(caller, err.message, 'FailedAuthentication', claimed);
        throw err;
      }
    }
    if (caller.principal) return caller.principal;
    return this.refuse(caller, xua ? 'no SAML assertion in a wsse:Security header' : 'no credentials', 'InvalidSecurity');
  }

  private async refuse(caller: RequestCaller, reason: string, fault: 'InvalidSecurity' | 'FailedAuthentication', claimed?: string): Promise<never> {
    const claimedSubject = claimed ?? caller.certificate?.subject;
    await this.layer.recordFailure({ mechanism: 'saml', reason, ...(caller.address ? { address: caller.address } : {}), ...(claimedSubject ? { claimedSubject } : {}) });
    throw securityFault(fault);
  }
}
