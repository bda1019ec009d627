/**
 * verifyXuaAssertion: the order of the steps is the defence.
 *   1. locate   exactly one assertion, directly in wsse:Security; its ID unique in the whole message
 *   2. shape    exactly one enveloped signature whose single Reference is "#" + that ID, allowed algorithms only
 *   3. keys     trusted certificates only (KeyInfo may select one, never add one)
 *   4. crypto   xml-crypto verifies and returns the signed canonical bytes
 *   5. read     the identity comes from those bytes alone
 *   6. validity time window and audience
 * Nothing read before step 4 reaches the identity except the ID, which step 5 checks again.
 */
import type { Element } from '@xmldom/xmldom';
import { PURPOSE_OF_USE_ELEMENTS, ROLE_ELEMENTS, codedValues, stringValue } from './attributes';
import { checkValidity, expiry, type ValidityContext } from './conditions';
import { XuaError } from './errors';
import { assertionId, findAssertion, requireUniqueId } from './locate';
import { XUA_ATTRIBUTE } from './namespaces';
import { readSignedAssertion, type SignedAssertion } from './read-assertion';
import { checkSignatureShape, findSignature } from './signature-policy';
import { candidateKeys, parseTrustedCertificates } from './trust';
import type { XuaIdentity, XuaOptions } from './types';
import { verifySignature } from './verify-signature';

const DEFAULT_SKEW_SECONDS = 60;
/** More skew than this is a broken clock, and would stretch every assertion's life by as much. */
const MAX_SKEW_SECONDS = 3600;

function identityOf(a: SignedAssertion): XuaIdentity {
  const value = (name: string): string | undefined => stringValue(a.attributes.get(name), name);
  const role = codedValues(a.attributes.get(XUA_ATTRIBUTE.role), XUA_ATTRIBUTE.role, ROLE_ELEMENTS)[0];
  const purposeOfUse = codedValues(a.attributes.get(XUA_ATTRIBUTE.purposeOfUse), XUA_ATTRIBUTE.purposeOfUse, PURPOSE_OF_USE_ELEMENTS);
  const optional: Partial<XuaIdentity> = {
    subjectName: value(XUA_ATTRIBUTE.subjectName),
    organization: value(XUA_ATTRIBUTE.organization),
    organizationId: value(XUA_ATTRIBUTE.organizationId),
    role,
    purposeOfUse: purposeOfUse.length > 0 ? purposeOfUse : undefined,
    resourceId: value(XUA_ATTRIBUTE.resourceId),
    homeCommunityId: value(XUA_ATTRIBUTE.homeCommunityId),
    notOnOrAfter: expiry(a),
  };
  // Absent fields are left out rather than set to undefined, so the identity serialises cleanly into logs and audit.
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { issuer: a.issuer, assertionId: a.id, subject: a.subject, ...present };
}

/**
 * Checks options once and returns a verifier for them (certificates are parsed here, not per
 * request). Invalid options throw TypeError: that is a deployment error, not a refused assertion.
 */
export function createXuaVerifier(options: XuaOptions): (securityHeader: Element) => XuaIdentity {
  const trusted = parseTrustedCertificates(options.trustedCertificates);
  if (!Array.isArray(options.audiences) || options.audiences.some((a) => typeof a !== 'string' || a.trim() === '')) {
    throw new TypeError('XUA audiences must be an array of non-empty strings');
  }
  const audiences: ReadonlySet<string> = new Set(options.audiences);
  const skewSeconds = options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (!Number.isFinite(skewSeconds) || skewSeconds < 0 || skewSeconds > MAX_SKEW_SECONDS) {
    throw new TypeError(`XUA clockSkewSeconds must be between 0 and ${MAX_SKEW_SECONDS}`);
  }
  const now = options.now ?? ((): Date => new Date());

  return (securityHeader: Element): XuaIdentity => {
    try {
      const assertion = findAssertion(securityHeader);
      const id = assertionId(assertion);
      requireUniqueId(assertion, id);
      const signature = findSignature(assertion);
      const shape = checkSignatureShape(signature, id);
      const keys = candidateKeys(trusted, shape.keyInfoCertificates);
      const { signedXml } = verifySignature(assertion, signature, keys);
      const signed = readSignedAssertion(signedXml, id);
      const ctx: ValidityContext = { now: now(), skewMs: skewSeconds * 1000, audiences };
      checkValidity(signed, ctx);
      return identityOf(signed);
    } catch (err) {
      if (err instanceof XuaError) throw err;
      // Whatever else breaks (a library error, a DOM surprise) still means "not authenticated".
      throw new XuaError(`verification failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
    }
  };
}

/** securityHeader: the wsse:Security header element of an xmldom Document (the whole SOAP envelope). */
export function verifyXuaAssertion(securityHeader: Element, options: XuaOptions): XuaIdentity {
  return createXuaVerifier(options)(securityHeader);
}
