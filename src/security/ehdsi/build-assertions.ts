/**
 * The unsigned HCP identity and TRC assertions this gateway issues for outbound eHDSI requests,
 * as XML text ready for signAssertion(). String values carry xsi:type="xsd:string" as NCPs
 * expect, with xsd declared on the assertion's root.
 */
import { randomUUID } from 'node:crypto';
import { attr, el, renderXml, xmlns, type XmlElementSpec } from '../../soap';
import { SAML_NS } from '../saml';
import {
  AUTHN_CONTEXT,
  EHDSI_ASSERTION,
  EHDSI_ATTRIBUTE,
  EHDSI_AUDIENCE,
  EHDSI_PURPOSE_CODE_SYSTEM,
  EHDSI_PURPOSE_CODE_SYSTEM_NAME,
  ISCO_08,
  MAX_LIFETIME_MS,
  SUBJECT_CONFIRMATION,
  type EhdsiPurposeOfUse,
} from './names';

const XSD = 'http://www.w3.org/2001/XMLSchema';
const URI_FORMAT = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';

/** The health professional a request is made for, as the point of care authenticated them. */
export interface HcpIdentity {
  /** Subject NameID (an e-mail or a unique user id at the point of care). */
  nameId: string;
  nameIdFormat?: string;
  /** subject-id: the professional's name as displayed. */
  name: string;
  /** ISCO-08 code and name of the occupation (221 Medical Doctors, 2262 Pharmacists, ...). */
  role: { code: string; displayName: string };
  organization: string;
  organizationId: string;
  /** One of EHDSI_FACILITY_TYPES. */
  facilityType: string;
  locality?: string;
  /** Full permission URNs (urn:oasis:names:tc:xspa:1.0:subject:hl7:permission:PRD-006 ...). */
  permissions: readonly string[];
  purposeOfUse: EhdsiPurposeOfUse;
}

export interface AssertionCommon {
  /** Issuer text (e.g. urn:idp:CZ:countryB for the HCP assertion, urn:initgw:CZ:countryB for the TRC). */
  issuer: string;
  now: Date;
  /** Lifetime; the profile's maximum when not given. */
  lifetimeMs?: number;
  /** Assertion ID; a fresh one when not given. */
  id?: string;
}

const S = (name: string, ...children: Parameters<typeof el>[3][]): XmlElementSpec => el(SAML_NS.saml2, `saml2:${name}`, {}, ...children);

function iso(d: Date): string {
  return d.toISOString();
}

function stringAttribute(name: string, values: readonly (string | undefined)[]): XmlElementSpec | undefined {
  const present = values.filter((v): v is string => v !== undefined && v !== '');
  if (present.length === 0) return undefined;
  return el(
    SAML_NS.saml2,
    'saml2:Attribute',
    { Name: name, NameFormat: URI_FORMAT },
    ...present.map((v) => el(SAML_NS.saml2, 'saml2:AttributeValue', {}, attr(SAML_NS.xsi, 'xsi:type', 'xsd:string'), v)),
  );
}

function codedAttribute(name: string, element: string, code: Record<string, string>): XmlElementSpec {
  return el(SAML_NS.saml2, 'saml2:Attribute', { Name: name, NameFormat: URI_FORMAT }, S('AttributeValue', el(SAML_NS.hl7, element, code)));
}

function purposeAttribute(purpose: EhdsiPurposeOfUse): XmlElementSpec {
  return codedAttribute(EHDSI_ATTRIBUTE.purposeOfUse, 'PurposeOfUse', {
    code: purpose,
    codeSystem: EHDSI_PURPOSE_CODE_SYSTEM,
    codeSystemName: EHDSI_PURPOSE_CODE_SYSTEM_NAME,
    displayName: purpose,
  });
}

function envelope(kind: keyof typeof MAX_LIFETIME_MS, common: AssertionCommon, subject: XmlElementSpec, tail: readonly (XmlElementSpec | undefined)[]): { id: string; xml: string } {
  const id = common.id ?? `_${randomUUID()}`;
  const notOnOrAfter = new Date(common.now.getTime() + Math.min(common.lifetimeMs ?? MAX_LIFETIME_MS[kind], MAX_LIFETIME_MS[kind]));
  const root = el(
    SAML_NS.saml2,
    'saml2:Assertion',
    { ID: id, IssueInstant: iso(common.now), Version: '2.0' },
    xmlns('xsi', SAML_NS.xsi),
    xmlns('xsd', XSD),
    el(SAML_NS.saml2, 'saml2:Issuer', { NameQualifier: EHDSI_ASSERTION[kind] }, common.issuer),
    subject,
    el(SAML_NS.saml2, 'saml2:Conditions', { NotBefore: iso(common.now), NotOnOrAfter: iso(notOnOrAfter) }, S('AudienceRestriction', S('Audience', EHDSI_AUDIENCE))),
    ...tail,
  );
  return { id, xml: renderXml(root) };
}

function subjectOf(nameId: string, format: string | undefined): XmlElementSpec {
  return S(
    'Subject',
    el(SAML_NS.saml2, 'saml2:NameID', { Format: format ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' }, nameId),
    el(SAML_NS.saml2, 'saml2:SubjectConfirmation', { Method: SUBJECT_CONFIRMATION.senderVouches }),
  );
}

function authn(now: Date, contextClass: string): XmlElementSpec {
  return el(SAML_NS.saml2, 'saml2:AuthnStatement', { AuthnInstant: iso(now) }, S('AuthnContext', S('AuthnContextClassRef', contextClass)));
}

/** The HCP identity assertion, unsigned. `homeCommunityId`: this country's NCP community (urn:oid:…). */
export function buildHcpAssertion(hcp: HcpIdentity, homeCommunityId: string, common: AssertionCommon): { id: string; xml: string } {
  const attributes = S(
    'AttributeStatement',
    stringAttribute(EHDSI_ATTRIBUTE.homeCommunityId, [homeCommunityId]),
    stringAttribute(EHDSI_ATTRIBUTE.subjectName, [hcp.name]),
    codedAttribute(EHDSI_ATTRIBUTE.role, 'Role', { code: hcp.role.code, codeSystem: ISCO_08, codeSystemName: 'ISCO', displayName: hcp.role.displayName }),
    stringAttribute(EHDSI_ATTRIBUTE.organization, [hcp.organization]),
    stringAttribute(EHDSI_ATTRIBUTE.organizationId, [hcp.organizationId]),
    stringAttribute(EHDSI_ATTRIBUTE.facilityType, [hcp.facilityType]),
    purposeAttribute(hcp.purposeOfUse),
    stringAttribute(EHDSI_ATTRIBUTE.locality, [hcp.locality]),
    stringAttribute(EHDSI_ATTRIBUTE.permission, hcp.permissions),
  );
  return envelope('hcp', common, subjectOf(hcp.nameId, hcp.nameIdFormat), [authn(common.now, AUTHN_CONTEXT.smartcard), attributes]);
}

export interface TrcStatement {
  /** The HCP assertion this TRC vouches for: its ID goes into Advice, its subject is repeated. */
  hcpAssertionId: string;
  hcp: Pick<HcpIdentity, 'nameId' | 'nameIdFormat'>;
  /** The patient, as a CX (id^^^&OID&ISO) of the identifier the patient was identified by. */
  patientId: string;
  purposeOfUse: EhdsiPurposeOfUse;
}

/** The TRC assertion, unsigned: the treatment relationship of that HCP with that patient. */
export function buildTrcAssertion(trc: TrcStatement, common: AssertionCommon): { id: string; xml: string } {
  const attributes = S('AttributeStatement', stringAttribute(EHDSI_ATTRIBUTE.subjectName, [trc.patientId]), purposeAttribute(trc.purposeOfUse));
  return envelope('trc', common, subjectOf(trc.hcp.nameId, trc.hcp.nameIdFormat), [
    S('Advice', S('AssertionIDRef', trc.hcpAssertionId)),
    authn(common.now, AUTHN_CONTEXT.previousSession),
    attributes,
  ]);
}
