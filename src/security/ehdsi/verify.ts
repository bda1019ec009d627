/**
 * Inbound eHDSI security: the HCP identity assertion and the TRC assertion a foreign NCP puts in
 * wsse:Security. Each assertion goes through the XUA pipeline (src/security/saml: the one
 * assertion element, its ID unique in the message, signature shape, trusted keys only, identity
 * read from the signed bytes, validity and audience); on top of it the profile's rules:
 *   - the kind is the signed Issuer/@NameQualifier; one HCP, at most one TRC, nothing else;
 *   - the HCP assertion states who, in what role, where and why (TREATMENT or EMERGENCY);
 *   - the TRC names the HCP assertion by ID in Advice/AssertionIDRef, repeats its Subject, and
 *     names the patient the request is about;
 *   - both are signed by certificates of the same country, which is the requesting country.
 */
import type { Element } from '@xmldom/xmldom';
import { normalizeCx } from '../../domain/hl7v2';
import {
  PURPOSE_OF_USE_ELEMENTS,
  ROLE_ELEMENTS,
  XuaError,
  codedValues,
  findAssertions,
  stringValue,
  verifierSettings,
  verifyAssertionElement,
  type AssertionVerifierSettings,
  type CodedValue,
  type SignedAssertion,
  type VerifiedAssertion,
} from '../saml';
import { SAML_NS } from '../saml';
import { EhdsiSecurityError } from './errors';
import { EHDSI_ASSERTION, EHDSI_ATTRIBUTE, EHDSI_AUDIENCE, EHDSI_PURPOSES, MAX_LIFETIME_MS, type EhdsiPurposeOfUse } from './names';

export interface EhdsiVerifierOptions {
  /** PEM certificates the foreign NCPs sign assertions with (the eHDSI trust list). */
  trustedCertificates: string[];
  /** Default: the eHDSI cross-border audience. */
  audiences?: string[];
  clockSkewSeconds?: number;
  now?: () => Date;
}

export interface EhdsiHcp {
  assertionId: string;
  issuer: string;
  /** Subject NameID. */
  nameId: string;
  /** subject-id: the professional's name. */
  name: string;
  role: CodedValue;
  organization: string;
  organizationId?: string;
  facilityType: string;
  locality?: string;
  permissions: string[];
  purposeOfUse: EhdsiPurposeOfUse;
  homeCommunityId?: string;
  /** ISO 3166 code of the country whose NCP signed the assertion. */
  country: string;
  notOnOrAfter?: Date;
}

export interface EhdsiTrc {
  assertionId: string;
  /** The patient as the TRC names them (a CX, normalised when it is one). */
  patientId: string;
  purposeOfUse: EhdsiPurposeOfUse;
}

export interface EhdsiIdentity {
  hcp: EhdsiHcp;
  /** Present when the message carried a TRC (always when a patient was required). */
  trc?: EhdsiTrc;
}

export interface EhdsiRequirement {
  /**
   * The patient the request is about (CX): a TRC bound to this patient is then required.
   * Absent for patient discovery (XCPD), where the patient is yet to be identified; a TRC
   * that is there anyway is still verified.
   */
  patientId?: string;
  /** A TRC is required whatever its patient (the principal is then bound to the TRC's patient). */
  requireTrc?: boolean;
}

export type EhdsiVerifier = (securityHeader: Element | undefined, requirement: EhdsiRequirement) => EhdsiIdentity;

function refuse(reason: string): never {
  throw new EhdsiSecurityError(reason);
}

/** The NameQualifier as the (unverified) DOM says: only to pick which checks an assertion gets; the signed one is checked after. */
function claimedKind(assertion: Element): string {
  const issuer = Array.from(assertion.childNodes).find((n) => n.nodeType === 1 && (n as Element).namespaceURI === SAML_NS.saml2 && (n as Element).localName === 'Issuer') as Element | undefined;
  return issuer?.getAttribute('NameQualifier') ?? '';
}

function signerCountry(v: VerifiedAssertion): string {
  const c = /^C=([A-Za-z]{2})$/m.exec(v.signer.subject)?.[1];
  if (!c) refuse(`the signing certificate ${v.signer.subject.replace(/\n/g, ', ')} names no country`);
  return c.toUpperCase();
}

function string(a: SignedAssertion, name: string): string | undefined {
  return stringValue(a.attributes.get(name), name);
}

function requiredString(a: SignedAssertion, name: string, what: string): string {
  const v = string(a, name);
  if (!v) refuse(`the ${what} assertion has no ${name}`);
  return v;
}

function purposeOf(a: SignedAssertion, what: string): EhdsiPurposeOfUse {
  const values = codedValues(a.attributes.get(EHDSI_ATTRIBUTE.purposeOfUse), EHDSI_ATTRIBUTE.purposeOfUse, PURPOSE_OF_USE_ELEMENTS);
  if (values.length !== 1) refuse(`the ${what} assertion states ${values.length} purposes of use, not one`);
  const code = values[0]!.code;
  if (!(EHDSI_PURPOSES as readonly string[]).includes(code)) refuse(`purpose of use ${code} is not an eHDSI purpose (${EHDSI_PURPOSES.join(', ')})`);
  return code as EhdsiPurposeOfUse;
}

function readHcp(v: VerifiedAssertion): EhdsiHcp {
  const a = v.assertion;
  const role = codedValues(a.attributes.get(EHDSI_ATTRIBUTE.role), EHDSI_ATTRIBUTE.role, ROLE_ELEMENTS)[0];
  if (!role) refuse('the HCP assertion has no XSPA role');
  const facilityType = string(a, EHDSI_ATTRIBUTE.facilityType) ?? string(a, EHDSI_ATTRIBUTE.facilityTypeLegacy);
  if (!facilityType) refuse('the HCP assertion has no healthcare facility type');
  const organization = string(a, EHDSI_ATTRIBUTE.organization) ?? string(a, EHDSI_ATTRIBUTE.locality);
  if (!organization) refuse('the HCP assertion names neither an organisation nor a locality (point of care)');
  const permissions = (a.attributes.get(EHDSI_ATTRIBUTE.permission) ?? []).map((p) => p.textContent?.trim() ?? '').filter((p) => p !== '');
  const optional = {
    organizationId: string(a, EHDSI_ATTRIBUTE.organizationId),
    locality: string(a, EHDSI_ATTRIBUTE.locality),
    homeCommunityId: string(a, EHDSI_ATTRIBUTE.homeCommunityId),
    notOnOrAfter: a.conditions.notOnOrAfter,
  };
  return {
    assertionId: a.id,
    issuer: a.issuer,
    nameId: a.subject,
    name: requiredString(a, EHDSI_ATTRIBUTE.subjectName, 'HCP'),
    role,
    organization,
    facilityType,
    permissions,
    purposeOfUse: purposeOf(a, 'HCP'),
    country: signerCountry(v),
    ...Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)),
  };
}

/** The patient a TRC names: subject-id in the current profile, resource-id (XACML 1.0 or 2.0) in older ones; all given must agree. */
function trcPatient(a: SignedAssertion): string {
  const names = [EHDSI_ATTRIBUTE.subjectName, EHDSI_ATTRIBUTE.resourceIdXacml1, EHDSI_ATTRIBUTE.resourceId];
  const ids = [...new Set(names.map((n) => string(a, n)).filter((x): x is string => !!x).map((x) => normalizeCx(x) ?? x))];
  if (ids.length === 0) refuse('the TRC assertion names no patient');
  if (ids.length > 1) refuse('the TRC assertion names more than one patient');
  return ids[0]!;
}

function readTrc(v: VerifiedAssertion, hcp: EhdsiHcp, hcpCountry: string): EhdsiTrc {
  const a = v.assertion;
  // The binding of TRC to HCP: eHDSI's TRC carries the HCP assertion's ID in Advice and its Subject.
  if (a.adviceAssertionIdRefs.length !== 1 || a.adviceAssertionIdRefs[0] !== hcp.assertionId) {
    refuse(`the TRC assertion refers to [${a.adviceAssertionIdRefs.join(', ')}], not to the HCP assertion ${hcp.assertionId}`);
  }
  if (a.subject !== hcp.nameId) refuse('the TRC assertion is about another professional than the HCP assertion');
  if (signerCountry(v) !== hcpCountry) refuse('the TRC and HCP assertions are signed by different countries');
  return { assertionId: a.id, patientId: trcPatient(a), purposeOfUse: purposeOf(a, 'TRC') };
}

/** The signed kind must be the one the assertion was picked as, and its lifetime within the profile's (HCP 4 h, TRC 2 h). */
function checkKind(v: VerifiedAssertion, kind: 'hcp' | 'trc'): void {
  const a = v.assertion;
  if (a.issuerNameQualifier !== EHDSI_ASSERTION[kind]) refuse(`the signed assertion's Issuer NameQualifier is not ${EHDSI_ASSERTION[kind]}`);
  const end = a.conditions.notOnOrAfter;
  if (!end) refuse(`the ${kind.toUpperCase()} assertion has no NotOnOrAfter`);
  const start = a.conditions.notBefore ?? a.issueInstant;
  if (end.getTime() - start.getTime() > MAX_LIFETIME_MS[kind]) refuse(`the ${kind.toUpperCase()} assertion is valid for longer than the profile allows`);
}

export function createEhdsiVerifier(options: EhdsiVerifierOptions): EhdsiVerifier {
  const settings: AssertionVerifierSettings = verifierSettings({
    trustedCertificates: options.trustedCertificates,
    audiences: options.audiences ?? [EHDSI_AUDIENCE],
    ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

  return (securityHeader, requirement) => {
    if (!securityHeader) throw new EhdsiSecurityError('no wsse:Security header', 'InvalidSecurity');
    try {
      const byKind = new Map<string, Element[]>();
      for (const assertion of findAssertions(securityHeader)) {
        const kind = claimedKind(assertion);
        if (kind !== EHDSI_ASSERTION.hcp && kind !== EHDSI_ASSERTION.trc) refuse(`an assertion of kind ${JSON.stringify(kind)} is not accepted here`);
        byKind.set(kind, [...(byKind.get(kind) ?? []), assertion]);
      }
      const hcps = byKind.get(EHDSI_ASSERTION.hcp) ?? [];
      const trcs = byKind.get(EHDSI_ASSERTION.trc) ?? [];
      if (hcps.length === 0) throw new EhdsiSecurityError('no HCP identity assertion', 'InvalidSecurity');
      // Two of a kind would leave it to the sender which one counts.
      if (hcps.length > 1 || trcs.length > 1) refuse('more than one HCP or TRC assertion');
      if (trcs.length === 0 && (requirement.patientId !== undefined || requirement.requireTrc)) throw new EhdsiSecurityError('no TRC assertion for a request that needs one', 'InvalidSecurity');

      const hcpVerified = verifyAssertionElement(hcps[0]!, settings);
      checkKind(hcpVerified, 'hcp');
      const hcp = readHcp(hcpVerified);
      if (trcs.length === 0) return { hcp };

      const trcVerified = verifyAssertionElement(trcs[0]!, settings);
      checkKind(trcVerified, 'trc');
      const trc = readTrc(trcVerified, hcp, hcp.country);
      if (requirement.patientId !== undefined) {
        const wanted = normalizeCx(requirement.patientId) ?? requirement.patientId;
        if (trc.patientId !== wanted) refuse(`the TRC assertion is for patient ${trc.patientId}, the request for ${wanted}`);
      }
      return { hcp, trc };
    } catch (err) {
      if (err instanceof EhdsiSecurityError) throw err;
      if (err instanceof XuaError) throw new EhdsiSecurityError(err.reason, 'FailedAuthentication', { cause: err });
      throw new EhdsiSecurityError(`verification failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, 'FailedAuthentication', { cause: err });
    }
  };
}
