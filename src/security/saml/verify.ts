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
import { candidateKeys, parseTrustedCertificates, type TrustedCertificate } from './trust';
import type { XuaIdentity, XuaOptions } from './types';
import { standalone, verifySignature } from './verify-signature';
import { VerifiedAssertions } from './verified-cache';

const DEFAULT_SKEW_SECONDS = 60;
/** More skew than this is a broken clock, and would stretch every assertion's life by as much. */
const MAX_SKEW_SECONDS = 3600;

/** The XUA identity fields (ITI TF-2 3.40.4.1.2) of a verified assertion. */
export function identityOf(a: SignedAssertion): XuaIdentity {
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

/** Options checked once: parsed trust list, audiences, skew and clock. */
export interface AssertionVerifierSettings {
  trusted: readonly TrustedCertificate[];
  audiences: ReadonlySet<string>;
  skewMs: number;
  now: () => Date;
  /** Signatures already verified with this trust list (verified-cache.ts). */
  verified: VerifiedAssertions;
}

/** Checks XuaOptions; invalid ones throw TypeError: that is a deployment error, not a refused assertion. */
export function verifierSettings(options: XuaOptions): AssertionVerifierSettings {
  const trusted = parseTrustedCertificates(options.trustedCertificates);
  if (!Array.isArray(options.audiences) || options.audiences.some((a) => typeof a !== 'string' || a.trim() === '')) {
    throw new TypeError('XUA audiences must be an array of non-empty strings');
  }
  const skewSeconds = options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (!Number.isFinite(skewSeconds) || skewSeconds < 0 || skewSeconds > MAX_SKEW_SECONDS) {
    throw new TypeError(`XUA clockSkewSeconds must be between 0 and ${MAX_SKEW_SECONDS}`);
  }
  return { trusted, audiences: new Set(options.audiences), skewMs: skewSeconds * 1000, now: options.now ?? ((): Date => new Date()), verified: new VerifiedAssertions() };
}

export interface VerifiedAssertion {
  assertion: SignedAssertion;
  /** The trusted certificate whose key verified it. */
  signer: TrustedCertificate;
}

/**
 * Steps 1b-6 for one assertion element found directly in wsse:Security: the signed, valid
 * assertion as read from its signed bytes. Throws XuaError for any refusal (wrapping any other
 * failure into one: whatever breaks still means "not authenticated").
 */
export function verifyAssertionElement(assertion: Element, settings: AssertionVerifierSettings): VerifiedAssertion {
  try {
    const id = assertionId(assertion);
    // Per message, whatever is cached: the one element a #ID Reference can mean (wrapping defence).
    requireUniqueId(assertion, id);
    const now = settings.now();
    const ctx: ValidityContext = { now, skewMs: settings.skewMs, audiences: settings.audiences };
    const text = standalone(assertion);
    const cached = settings.verified.get(text, now.getTime());
    if (cached) {
      checkValidity(cached.assertion, ctx);
      return cached;
    }
    const signature = findSignature(assertion);
    const shape = checkSignatureShape(signature, id);
    const keys = candidateKeys(settings.trusted, shape.keyInfoCertificates);
    const { signedXml, signer } = verifySignature(assertion, signature, keys, text);
    const signed = readSignedAssertion(signedXml, id);
    checkValidity(signed, ctx);
    const end = expiry(signed);
    settings.verified.set(text, { assertion: signed, signer }, end && end.getTime() + settings.skewMs);
    return { assertion: signed, signer };
  } catch (err) {
    if (err instanceof XuaError) throw err;
    throw new XuaError(`verification failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
}

/**
 * Checks options once and returns a verifier for them (certificates are parsed here, not per
 * request). Invalid options throw TypeError: that is a deployment error, not a refused assertion.
 */
export function createXuaVerifier(options: XuaOptions): (securityHeader: Element) => XuaIdentity {
  const settings = verifierSettings(options);
  return (securityHeader: Element): XuaIdentity => identityOf(verifyAssertionElement(findAssertion(securityHeader), settings).assertion);
}

/** securityHeader: the wsse:Security header element of an xmldom Document (the whole SOAP envelope). */
export function verifyXuaAssertion(securityHeader: Element, options: XuaOptions): XuaIdentity {
  return createXuaVerifier(options)(securityHeader);
}
